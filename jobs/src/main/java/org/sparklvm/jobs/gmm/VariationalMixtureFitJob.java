package org.sparklvm.jobs.gmm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.gmm.MaximizationStep;
import org.sparklvm.core.gmm.MixturePrior;
import org.sparklvm.core.gmm.PriorSettings;
import org.sparklvm.core.gmm.SufficientStatistics;
import org.sparklvm.core.gmm.VariationalBayes;
import org.sparklvm.core.gmm.VariationalFit;
import org.sparklvm.core.model.MixtureFormat;
import org.sparklvm.core.model.MixtureSummary;
import org.sparklvm.core.model.ModelMetadata;
import org.sparklvm.jobs.Progress;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;
import org.sparklvm.jobs.store.StoredModel;

/**
 * Fits a variational Bayesian Gaussian mixture ({@code lvm gmm fit --prior}), as scikit-learn's
 * {@code BayesianGaussianMixture} does, with the E-step distributed ({@link DistributedExpectation}
 * under the posterior's {@code expectationMixture()}) and the variational M-step on the driver
 * ({@link VariationalBayes}).
 *
 * <p>Each of {@code nInit} runs starts as scikit-learn's k-means initialisation does, from
 * responsibilities: here the soft responsibilities of one distributed E-step under the screened
 * k-means++ mixture {@link MixtureFitter} starts EM from; the run whose final lower bound is highest
 * is kept. The stored components are the scoring density, the posterior's expected parameters
 * (scikit-learn's {@code weights_}, {@code means_}, {@code covariances_}), so scoring, sampling,
 * pictures and anomaly flags work as for an EM fit; the posterior itself is stored beside them.
 */
public final class VariationalMixtureFitJob {

  /** A component counts as effective when its expected weight is above this. */
  public static final double EFFECTIVE_THRESHOLD = 0.01;

  private static final Logger LOG = LoggerFactory.getLogger(VariationalMixtureFitJob.class);

  private VariationalMixtureFitJob() {}

  /**
   * @param source the input's name for messages and provenance
   * @throws UserInputException naming a bad column or row, a k larger than the distinct rows, or
   *     data whose covariance is singular (a constant or collinear column), whose mean and
   *     covariance the prior's defaults are made of
   * @throws org.sparklvm.core.settings.InvalidSettingException naming the prior's option whose value
   *     does not fit the data
   */
  public static StoredModel<GaussianMixtureModel, MixtureSummary> fit(SparkSession spark,
      Dataset<Row> table, FeatureColumns columns, EmSettings settings, PriorSettings asked,
      String source) {
    long t0 = System.nanoTime();
    try (FeatureData data = FeatureData.of(table, columns, 0, settings.k(), source)) {
      List<GaussianMixtureModel> starts = MixtureFitter.starts(data, settings);
      DistributedExpectation pass = new DistributedExpectation(data.blocks());
      MixturePrior prior = prior(asked, settings, pass, data);
      VariationalFit fit = best(starts, pass, prior, settings);
      int effective = fit.posterior().effectiveComponents(EFFECTIVE_THRESHOLD);
      LOG.info("gmm {} k={} {}: lower bound {} per row, {} effective components", prior
          .weightPrior().id(), settings.k(), settings.covarianceType().id(),
          fit.lowerBound(), effective);
      StoredModel<GaussianMixtureModel, MixtureSummary> em = MixtureFitJob.describe(spark, data,
          fit.fitResult(), settings, source, (System.nanoTime() - t0) / 1e9, null);
      ModelMetadata meta = em.metadata();
      ObjectNode params = meta.params();
      params.set("prior", MixtureFormat.params(prior));
      params.put("scoringDensity", MixtureFormat.SCORING_DENSITY);
      MixtureSummary summary = em.summary()
          .withVariational(fit.lowerBoundHistory(), effective, EFFECTIVE_THRESHOLD);
      return new StoredModel<>(MixtureKind.withPosterior(fit.posterior()), em.model(),
          new ModelMetadata(meta.format(), meta.formatVersion(), meta.className(), params,
              summary.toJson(), meta.provenance()), em.plotSample());
    }
  }

  /** The best by final lower bound of the runs from {@code starts} (EM's screened starts). */
  private static VariationalFit best(List<GaussianMixtureModel> starts, DistributedExpectation pass,
      MixturePrior prior, EmSettings settings) {
    Progress progress = new Progress((long) settings.restarts() * (settings.maxIterations() + 2));
    VariationalFit best = null;
    for (int r = 0; r < starts.size(); r++) {
      SufficientStatistics initial = pass.expect(starts.get(r));
      int run = r + 1;
      VariationalFit fit = VariationalBayes.run(initial, pass, prior, settings, (it, bound, sec) ->
          LOG.info("gmm {} k={} {} init {}/{} iteration {}/{}: lower bound {} per row ({} s, at"
              + " most {} left)", prior.weightPrior().id(), settings.k(),
              settings.covarianceType().id(), run, settings.restarts(), it,
              settings.maxIterations(), String.format("%.6f", bound), String.format("%.2f", sec),
              progress.step(sec)));
      LOG.info("gmm {} init {}/{}: lower bound {} per row after {} iterations (converged: {}),"
          + " {} effective components", prior.weightPrior().id(), run, settings.restarts(),
          fit.lowerBound(), fit.iterations(), fit.converged(),
          fit.posterior().effectiveComponents(EFFECTIVE_THRESHOLD));
      if (best == null || fit.lowerBound() > best.lowerBound()) {
        best = fit;
      }
    }
    return best;
  }

  /**
   * The prior asked for, scikit-learn's defaults taken from the data's mean and covariance ({@code
   * np.cov(X.T)}: divisor {@code n - 1}, n the rows), which one E-step of a single component gives:
   * its statistics are the data's moments about the component's mean, here the sample's mean so
   * that no precision is lost to a far origin.
   */
  private static MixturePrior prior(PriorSettings asked, EmSettings settings,
      DistributedExpectation pass, FeatureData data) {
    int d = data.dim();
    double[] identity = new double[d * d];
    for (int j = 0; j < d; j++) {
      identity[j * d + j] = 1.0;
    }
    RowBlock sample = data.sample(MixtureFitter.INIT_SAMPLE_ROWS, settings.seed());
    double[] origin = new double[d];
    double w = sample.totalWeight();
    for (int i = 0; i < sample.rows(); i++) {
      double[] x = sample.row(i);
      for (int j = 0; j < d; j++) {
        origin[j] += sample.weight(i) * x[j] / w;
      }
    }
    GaussianMixtureModel one = new GaussianMixtureModel(CovarianceType.FULL, new double[] {1.0},
        new double[][] {origin}, new double[][] {identity});
    GaussianMixtureModel moments;
    try {
      moments = MaximizationStep.apply(pass.expect(one), 0.0).model();
    } catch (MaximizationStep.CollapseException e) {
      moments = null;
    }
    double[] cov = moments == null ? null : moments.covariance(0);
    if (cov == null || (asked.covariancePrior() == null && !positiveDiagonal(cov, d))) {
      throw new UserInputException("the data covariance is singular (a constant or collinear"
          + " column?): the prior's defaults are the data's mean and covariance; drop the column"
          + (asked.covariancePrior() == null ? " or give " + PriorSettings.COVARIANCE_PRIOR.option()
              : ""));
    }
    long n = data.rows();
    double unbiased = n > 1 ? n / (n - 1.0) : 1.0;
    for (int i = 0; i < cov.length; i++) {
      cov[i] *= unbiased;
    }
    return asked.resolve(settings.covarianceType(), settings.k(), moments.mean(0), cov);
  }

  private static boolean positiveDiagonal(double[] cov, int d) {
    for (int j = 0; j < d; j++) {
      if (!(cov[j * d + j] > 0.0)) {
        return false;
      }
    }
    return true;
  }
}
