package org.sparklvm.jobs.gmm;

import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.FitResult;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.gmm.Initializer;
import org.sparklvm.core.gmm.OnlineSettings;
import org.sparklvm.core.gmm.StepwiseEm;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;

/**
 * Fits a mixture by online (stepwise) EM to a table read as a stream of random mini-batches ({@link
 * ShuffledMiniBatches}), for data larger than the cluster's memory: {@code restarts} initialisations
 * (a given start, or k-means++ screened on a driver sample, as {@link MixtureFitter} does), each run
 * for at most {@code maxPasses} passes, then scored once on every row; the best kept. The result is
 * a {@link FitResult} like batch EM's, so the stored model, summary and anomaly reference are made
 * the same way; its {@code iterations} are passes.
 */
public final class OnlineMixtureFitter {

  private static final Logger LOG = LoggerFactory.getLogger(OnlineMixtureFitter.class);

  private OnlineMixtureFitter() {}

  /**
   * Deals the rows of {@code table} into mini-batches of about {@code online.batchRows()} and fits.
   * A mini-batch runs as one task per {@link FeatureData#BLOCK_ROWS} of its rows, at most the
   * cluster's default parallelism: online EM is sequential across mini-batches, so only mini-batches
   * of at least {@code parallelism x 4096} rows keep every core busy.
   *
   * @param start the starting mixture, or null for k-means++ on a sample
   * @throws UserInputException when k exceeds the distinct rows sampled, or a row is bad
   */
  public static FitResult fit(Dataset<Row> table, FeatureColumns columns, EmSettings settings,
      OnlineSettings online, GaussianMixtureModel start) {
    int parallelism = table.sparkSession().sparkContext().defaultParallelism();
    int width = Math.max(1, Math.min(parallelism, online.batchRows() / FeatureData.BLOCK_ROWS));
    return fit(ShuffledMiniBatches.of(table, columns, online.batchRows(), width, settings.seed()),
        settings, online, start);
  }

  /**
   * @param start the starting mixture, or null for k-means++ on a sample (restart {@code i} seeded
   *     with {@code seed + i})
   * @throws UserInputException when k exceeds the distinct rows sampled, a row is bad, or {@code
   *     start} does not match the settings
   */
  public static FitResult fit(ShuffledMiniBatches batches, EmSettings settings,
      OnlineSettings online, GaussianMixtureModel start) {
    try {
      return fitChecked(batches, settings, online, start);
    } catch (Exception e) {
      // Rows are converted as the shuffle reads them: a bad one fails the first mini-batch's job.
      for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
        if (t instanceof FeatureColumns.BadRowException) {
          throw new UserInputException("a row of the input is bad: " + t.getMessage(), e);
        }
      }
      throw e;
    }
  }

  private static FitResult fitChecked(ShuffledMiniBatches batches, EmSettings settings,
      OnlineSettings online, GaussianMixtureModel start) {
    if (start != null && (start.k() != settings.k()
        || start.covarianceType() != settings.covarianceType())) {
      throw new UserInputException("the starting mixture has k = " + start.k() + " and "
          + start.covarianceType().id() + " covariances, not k = " + settings.k() + " and "
          + settings.covarianceType().id());
    }
    FitResult best = null;
    int restarts = start != null ? 1 : settings.restarts();
    for (int restart = 0; restart < restarts; restart++) {
      long seed = settings.seed() + restart;
      GaussianMixtureModel first = start != null ? start : initial(batches, settings, seed);
      final int r = restart;
      FitResult fit = StepwiseEm.run(first, batches, online, settings, batches.evaluation(),
          (pass, ll, steps, sec) -> LOG.info("online gmm k={} {} init {}/{} pass {}/{} ({} "
              + "mini-batches): mean log-likelihood {} ({} s)", settings.k(),
              settings.covarianceType().id(), r + 1, restarts, pass, online.maxPasses(), steps,
              String.format("%.6f", ll), String.format("%.2f", sec)));
      LOG.info("online gmm init {}/{}: {} after {} passes (converged: {})", restart + 1, restarts,
          fit.meanLogLikelihood(), fit.iterations(), fit.converged());
      if (best == null || fit.meanLogLikelihood() > best.meanLogLikelihood()) {
        best = fit;
      }
    }
    return best;
  }

  private static GaussianMixtureModel initial(ShuffledMiniBatches batches, EmSettings settings,
      long seed) {
    RowBlock sample = batches.sample(MixtureFitter.INIT_SAMPLE_ROWS, seed);
    try {
      return Initializer.screened(sample, settings, new Random(seed));
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage(), e);
    }
  }
}
