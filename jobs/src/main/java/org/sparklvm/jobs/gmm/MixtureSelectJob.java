package org.sparklvm.jobs.gmm;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.FitResult;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.model.MixtureSummary;
import org.sparklvm.core.model.MixtureSummary.Candidate;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;
import org.sparklvm.jobs.store.StoredModel;

/**
 * Fits every (k, covariance type) of a grid to the same cached data and keeps the lowest BIC; the
 * whole table is stored in the winner's summary under {@code selection}.
 */
public final class MixtureSelectJob {

  private MixtureSelectJob() {}

  /** The winner and every candidate, in grid order. */
  public record Selection(StoredModel<GaussianMixtureModel, MixtureSummary> best,
      List<Candidate> candidates) {}

  /**
   * @param base settings shared by the grid (iterations, tolerance, reg-covar, init, restarts, seed)
   * @throws org.sparklvm.jobs.UserInputException when the largest k exceeds the distinct rows
   */
  public static Selection select(SparkSession spark, Dataset<Row> table, FeatureColumns columns,
      EmSettings base, List<Integer> ks, List<CovarianceType> types, String source) {
    long t0 = System.nanoTime();
    int maxK = ks.stream().mapToInt(Integer::intValue).max().orElseThrow();
    List<Candidate> candidates = new ArrayList<>();
    FitResult best = null;
    EmSettings bestSettings = null;
    try (FeatureData data = FeatureData.of(table, columns, 0, maxK, source)) {
      for (CovarianceType type : types) {
        for (int k : ks) {
          EmSettings s = base.withK(k).withCovarianceType(type);
          FitResult fit = MixtureFitter.fit(data, s);
          candidates.add(new Candidate(k, type.id(), fit.bic(), fit.aic(),
              fit.meanLogLikelihood(), fit.iterations(), fit.converged()));
          if (best == null || fit.bic() < best.bic()) {
            best = fit;
            bestSettings = s;
          }
        }
      }
      // The anomaly reference and the pictures are the winner's alone.
      return new Selection(MixtureFitJob.describe(spark, data, best, bestSettings, source,
          (System.nanoTime() - t0) / 1e9, candidates), candidates);
    }
  }
}
