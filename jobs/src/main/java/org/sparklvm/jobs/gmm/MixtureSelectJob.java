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

  /** Most EM runs advanced by one pass: each holds a few blocks' workspace on every executor. */
  static final int MAX_TOGETHER = 32;

  /** The winner and every candidate, in grid order. */
  public record Selection(StoredModel<GaussianMixtureModel, MixtureSummary> best,
      List<Candidate> candidates) {}

  /**
   * @param base settings shared by the grid (iterations, tolerance, reg-covar, init, restarts,
   *     dropping rule, seed)
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
      List<EmSettings> grid = new ArrayList<>();
      for (CovarianceType type : types) {
        for (int k : ks) {
          grid.add(base.withK(k).withCovarianceType(type));
        }
      }
      List<FitResult> fits = fitGrid(data, grid);
      for (int g = 0; g < grid.size(); g++) {
        EmSettings s = grid.get(g);
        FitResult fit = fits.get(g);
        candidates.add(new Candidate(s.k(), s.covarianceType().id(), fit.bic(), fit.aic(),
            fit.meanLogLikelihood(), fit.iterations(), fit.converged()));
        if (best == null || fit.bic() < best.bic()) {
          best = fit;
          bestSettings = s;
        }
      }
      // The anomaly reference and the pictures are the winner's alone.
      return new Selection(MixtureFitJob.describe(spark, data, best, bestSettings, source,
          (System.nanoTime() - t0) / 1e9, candidates), candidates);
    }
  }

  /**
   * The best restart of every grid point, in grid order: the runs of several grid points advanced
   * together (whole grid points, at most {@link #MAX_TOGETHER} runs a pass), each restart dropped only
   * against the restarts of its own grid point (log-likelihoods of different k are not comparable).
   */
  private static List<FitResult> fitGrid(FeatureData data, List<EmSettings> grid) {
    List<FitResult> fits = new ArrayList<>();
    int next = 0;
    while (next < grid.size()) {
      List<GaussianMixtureModel> starts = new ArrayList<>();
      List<Integer> groups = new ArrayList<>();
      int first = next;
      do {
        for (GaussianMixtureModel m : MixtureFitter.starts(data, grid.get(next))) {
          starts.add(m);
          groups.add(next - first);
        }
        next++;
      } while (next < grid.size()
          && starts.size() + grid.get(next).restarts() <= MAX_TOGETHER);
      int[] g = groups.stream().mapToInt(Integer::intValue).toArray();
      String label = "select " + (first + 1) + "-" + next + " of " + grid.size();
      // The loop takes only the iteration limit, tolerance, reg-covar and dropping rule from the
      // settings, which the grid shares; each run's k and covariance type are its start's.
      fits.addAll(MixtureFitter.best(MixtureFitter.together(data, starts, g, grid.get(first),
          grid.get(first).pruning(), label), g));
    }
    return fits;
  }
}
