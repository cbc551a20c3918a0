package org.sparklvm.jobs.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.ExpectationMaximization;
import org.sparklvm.core.gmm.FitResult;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.gmm.Initializer;
import org.sparklvm.jobs.SparkTests;
import org.sparklvm.jobs.bench.MixtureBenchmark;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;

/**
 * From the same starting mixture, full-covariance EM matches Spark MLlib's {@code GaussianMixture}
 * iteration by iteration, on data in two dimensions where MLlib's probability-space E-step does not
 * underflow (every density far above its 2.2e-16 floor).
 */
class MllibAgreementTest {

  @Test
  void logLikelihoodMatchesMllibAtEveryIteration() {
    GaussianMixtureModel planted = new GaussianMixtureModel(CovarianceType.FULL,
        new double[] {0.4, 0.35, 0.25}, new double[][] {{0, 0}, {2, 1}, {-1, 2}},
        new double[][] {{1, 0.3, 0.3, 0.8}, {0.5, -0.1, -0.1, 0.6}, {0.7, 0, 0, 0.4}});
    Dataset<Row> table = SparkTests.vectors(planted, 5000, 9);
    FeatureColumns cols = FeatureColumns.resolve(table.schema(), "features", List.of(), null);
    int iterations = 6;
    EmSettings s = new EmSettings(3, CovarianceType.FULL, iterations, 0, 0.0,
        EmSettings.Initialization.RANDOM, 1, 3);
    try (FeatureData data = FeatureData.of(table, cols, 0, 3, "test")) {
      GaussianMixtureModel start = Initializer.initialize(data.sample(5000, 3), s, new Random(3));
      DistributedExpectation pass = new DistributedExpectation(data.blocks());
      FitResult ours = ExpectationMaximization.run(start, pass, s, (i, l, t) -> { });
      JavaRDD<org.apache.spark.mllib.linalg.Vector> vectors =
          table.javaRDD().map(r -> Vectors.fromML((Vector) r.get(0))).cache();
      for (int it = 1; it <= iterations; it++) {
        var peer = new org.apache.spark.mllib.clustering.GaussianMixture().setK(3)
            .setInitialModel(MixtureBenchmark.toMllib(start)).setMaxIterations(it)
            .setConvergenceTol(0.0).run(vectors.rdd());
        double peerLl = pass.expect(MixtureBenchmark.fromMllib(peer)).meanLogLikelihood();
        assertEquals(peerLl, ours.logLikelihoodHistory().get(it), 1e-9 * Math.abs(peerLl),
            "iteration " + it);
      }
      vectors.unpersist(false);
    }
  }
}
