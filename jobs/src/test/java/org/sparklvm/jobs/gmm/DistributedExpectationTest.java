package org.sparklvm.jobs.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.ExpectationMaximization;
import org.sparklvm.core.gmm.FitResult;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.gmm.Initializer;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.gmm.SufficientStatistics;
import org.sparklvm.jobs.SparkTests;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;

class DistributedExpectationTest {

  @Test
  void distributedEmFollowsOneJvmEmIterationByIteration() {
    Dataset<Row> table = SparkTests.columns(SparkTests.planted(), 20_000, 1);
    FeatureColumns cols = FeatureColumns.resolve(table.schema(), null, List.of("x0", "x1", "x2"), null);
    try (FeatureData data = FeatureData.of(table, cols, 0, 3, "test")) {
      assertTrue(data.blocks().getNumPartitions() >= 3);
      List<RowBlock> local = data.blocks().collect();
      for (CovarianceType type : CovarianceType.values()) {
        EmSettings s = new EmSettings(3, type, 15, 0, 1e-6, EmSettings.Initialization.RANDOM, 1, 4);
        GaussianMixtureModel start = Initializer.initialize(data.sample(2000, 4), s, new Random(4));
        FitResult distributed = ExpectationMaximization.run(start,
            new DistributedExpectation(data.blocks()), s, (i, l, t) -> { });
        FitResult oneJvm = ExpectationMaximization.run(start, m -> {
          SufficientStatistics all = new SufficientStatistics(m);
          local.forEach(all::add);
          return all;
        }, s, (i, l, t) -> { });
        assertEquals(20_000, distributed.rows());
        for (int i = 0; i < 16; i++) {
          assertEquals(oneJvm.logLikelihoodHistory().get(i), distributed.logLikelihoodHistory().get(i),
              1e-10, type + " iteration " + i);
        }
      }
    }
  }

  @Test
  void fitJobRecoversThePlantedMixture() {
    GaussianMixtureModel planted = SparkTests.planted();
    Dataset<Row> table = SparkTests.vectors(planted, 30_000, 2);
    FeatureColumns cols = FeatureColumns.resolve(table.schema(), null, List.of(), null);
    var stored = MixtureFitJob.fit(SparkTests.spark(), table, cols, EmSettings.defaults(3), "test");
    GaussianMixtureModel m = stored.model();
    for (int c = 0; c < 3; c++) {
      double[] mu = planted.mean(c);
      int match = 0;
      for (int j = 1; j < 3; j++) {
        if (dist(m.mean(j), mu) < dist(m.mean(match), mu)) {
          match = j;
        }
      }
      assertEquals(planted.weights()[c], m.weights()[match], 0.01);
      assertTrue(dist(m.mean(match), mu) < 0.1, "mean of component " + c);
    }
    assertEquals(30_000, stored.metadata().summary().get("rows").asLong());
    // The stored quantiles are of the training log-densities: about 1% of rows fall below q = 0.01.
    double threshold = stored.anomalyThreshold(0.01);
    long below = table.javaRDD().filter(r -> m.logDensity(
        ((org.apache.spark.ml.linalg.Vector) r.get(0)).toArray()) < threshold).count();
    assertEquals(300, below, 30);
  }

  private static double dist(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += (a[j] - b[j]) * (a[j] - b[j]);
    }
    return Math.sqrt(s);
  }
}
