package org.sparklvm.jobs.gmm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;
import org.sparklvm.jobs.store.StoredMixture;

/**
 * Fits every (k, covariance type) of a grid to the same cached data and keeps the lowest BIC; the
 * whole table is stored in the winner's summary under {@code selection}.
 */
public final class MixtureSelectJob {

  private MixtureSelectJob() {}

  /** One fitted candidate of the grid. */
  public record Candidate(int k, CovarianceType covarianceType, double bic, double aic,
      double meanLogLikelihood, int iterations, boolean converged) {}

  /** The winner and every candidate, in grid order. */
  public record Selection(StoredMixture best, List<Candidate> candidates) {}

  /**
   * @param base settings shared by the grid (iterations, tolerance, reg-covar, init, restarts, seed)
   * @throws org.sparklvm.jobs.UserInputException when the largest k exceeds the distinct rows
   */
  public static Selection select(SparkSession spark, Dataset<Row> table, FeatureColumns columns,
      EmSettings base, List<Integer> ks, List<CovarianceType> types, String source) {
    long t0 = System.nanoTime();
    int maxK = ks.stream().mapToInt(Integer::intValue).max().orElseThrow();
    List<Candidate> candidates = new ArrayList<>();
    MixtureFitter.Fit best = null;
    EmSettings bestSettings = null;
    try (FeatureData data = FeatureData.of(table, columns, 0, maxK, source)) {
      for (CovarianceType type : types) {
        for (int k : ks) {
          EmSettings s = base.withK(k).withCovarianceType(type);
          MixtureFitter.Fit fit = MixtureFitter.fit(spark, data, s);
          var r = fit.result();
          candidates.add(new Candidate(k, type, r.bic(), r.aic(), r.meanLogLikelihood(),
              r.iterations(), r.converged()));
          if (best == null || r.bic() < best.result().bic()) {
            best = fit;
            bestSettings = s;
          }
        }
      }
      StoredMixture stored = MixtureFitJob.describe(spark, best, bestSettings, columns, source,
          (System.nanoTime() - t0) / 1e9, MixtureFitJob.plotSample(data, best, bestSettings));
      ArrayNode grid = stored.metadata().summary().putArray("selection");
      for (Candidate c : candidates) {
        ObjectNode row = grid.addObject();
        row.put("k", c.k());
        row.put("covarianceType", c.covarianceType().id());
        row.put("bic", c.bic());
        row.put("aic", c.aic());
        row.put("meanLogLikelihood", c.meanLogLikelihood());
        row.put("iterations", c.iterations());
        row.put("converged", c.converged());
      }
      return new Selection(stored, candidates);
    }
  }
}
