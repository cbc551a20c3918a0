package org.sparklvm.jobs.gmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.sparklvm.core.gmm.RestartPruning;
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

  @Test
  void onePassOverSeveralMixturesGivesEachTheStatisticsOfItsOwnPass() {
    Dataset<Row> table = SparkTests.columns(SparkTests.planted(), 6_000, 3);
    FeatureColumns cols = FeatureColumns.resolve(table.schema(), null, List.of("x0", "x1", "x2"), null);
    try (FeatureData data = FeatureData.of(table, cols, 0, 4, "test")) {
      RowBlock sample = data.sample(2000, 5);
      List<GaussianMixtureModel> models = List.of(
          Initializer.initialize(sample, EmSettings.defaults(3), new Random(1)),
          Initializer.initialize(sample, EmSettings.defaults(4).withCovarianceType(
              CovarianceType.DIAG), new Random(2)),
          Initializer.initialize(sample, EmSettings.defaults(2).withCovarianceType(
              CovarianceType.TIED), new Random(3)));
      DistributedExpectation pass = new DistributedExpectation(data.blocks());
      List<SufficientStatistics> all = pass.expectAll(models);
      assertEquals(3, all.size());
      for (int i = 0; i < 3; i++) {
        SufficientStatistics one = pass.expect(models.get(i));
        assertTrue(same(all.get(i).model(), models.get(i)));
        assertEquals(one.logLikelihood(), all.get(i).logLikelihood(),
            1e-12 * Math.abs(one.logLikelihood()), "model " + i);
        assertEquals(6_000, all.get(i).rows());
        for (int c = 0; c < models.get(i).k(); c++) {
          assertEquals(one.mass(c), all.get(i).mass(c), 1e-9, "model " + i + " component " + c);
        }
      }
    }
  }

  @Test
  void everyRouteSumsWhatOneJvmSumsAndTheDirectOneInPartitionOrder() {
    Dataset<Row> table = SparkTests.columns(SparkTests.planted(), 6_000, 5);
    FeatureColumns cols = FeatureColumns.resolve(table.schema(), null, List.of("x0", "x1", "x2"), null);
    try (FeatureData data = FeatureData.of(table, cols, 0, 3, "test")) {
      assertTrue(data.blocks().getNumPartitions() >= 2);
      RowBlock sample = data.sample(2000, 6);
      List<GaussianMixtureModel> models = List.of(
          Initializer.initialize(sample, EmSettings.defaults(3), new Random(1)),
          Initializer.initialize(sample, EmSettings.defaults(2).withCovarianceType(
              CovarianceType.DIAG), new Random(2)));
      // The partitions' statistics merged in partition order: what the direct route must give,
      // to the last bit, whichever task ends first.
      List<List<RowBlock>> partitions = data.blocks().glom().collect();
      for (int i = 0; i < models.size(); i++) {
        SufficientStatistics inOrder = null;
        for (List<RowBlock> part : partitions) {
          SufficientStatistics s = new SufficientStatistics(models.get(i));
          part.forEach(s::add);
          inOrder = inOrder == null ? s : inOrder.merge(s);
        }
        SufficientStatistics inline = new DistributedExpectation(data.blocks(),
            DistributedExpectation.DIRECT_PARTITIONS, Long.MAX_VALUE).expectAll(models).get(i);
        SufficientStatistics broadcast = new DistributedExpectation(data.blocks(),
            DistributedExpectation.DIRECT_PARTITIONS, 0).expectAll(models).get(i);
        SufficientStatistics tree =
            new DistributedExpectation(data.blocks(), 0, 0).expectAll(models).get(i);
        assertEquals(inOrder.logLikelihood(), inline.logLikelihood(), 0.0, "inline " + i);
        assertEquals(inOrder.logLikelihood(), broadcast.logLikelihood(), 0.0, "broadcast " + i);
        assertEquals(inOrder.logLikelihood(), tree.logLikelihood(),
            1e-12 * Math.abs(inOrder.logLikelihood()), "tree " + i);
        for (SufficientStatistics s : List.of(inline, broadcast, tree)) {
          assertEquals(6_000, s.rows());
          assertTrue(same(s.model(), models.get(i)));
          for (int c = 0; c < models.get(i).k(); c++) {
            assertEquals(inOrder.mass(c), s.mass(c), 1e-9, "model " + i + " component " + c);
          }
        }
      }
    }
  }

  @Test
  void sharedRestartsEndWithTheBestModelOfSequentialOnes() {
    Dataset<Row> table = SparkTests.columns(SparkTests.planted(), 5_000, 4);
    FeatureColumns cols = FeatureColumns.resolve(table.schema(), null, List.of("x0", "x1", "x2"), null);
    try (FeatureData data = FeatureData.of(table, cols, 0, 3, "test")) {
      for (CovarianceType type : List.of(CovarianceType.FULL, CovarianceType.SPHERICAL)) {
        EmSettings s = new EmSettings(3, type, 40, 1e-6, 1e-6,
            EmSettings.Initialization.RANDOM, 4, 21);
        List<GaussianMixtureModel> starts = MixtureFitter.starts(data, s);
        // The starts are today's: start r screened from the sample and random stream of seed + r.
        for (int r = 0; r < 4; r++) {
          GaussianMixtureModel alone = Initializer.screened(
              data.sample(MixtureFitter.INIT_SAMPLE_ROWS, 21 + r), s, new Random(21 + r));
          assertTrue(same(alone, starts.get(r)), "start " + r);
        }
        FitResult sequential = null;
        for (GaussianMixtureModel start : starts) {
          FitResult f = ExpectationMaximization.run(start,
              new DistributedExpectation(data.blocks()), s, (i, l, t) -> { });
          if (sequential == null || f.meanLogLikelihood() > sequential.meanLogLikelihood()) {
            sequential = f;
          }
        }
        FitResult shared = MixtureFitter.best(MixtureFitter.together(data, starts, new int[4], s,
            RestartPruning.NONE, "test"), new int[4]).get(0);
        assertSameMixture(sequential, shared, type + " without dropping");
        // Dropping must not lose the winner here either.
        assertSameMixture(sequential, MixtureFitter.fit(data, s), type + " with dropping");
      }
    }
  }

  @Test
  void selectionAdvancesTheGridTogetherAndEndsAsSeparateFits() {
    Dataset<Row> table = SparkTests.columns(SparkTests.planted(), 4_000, 6);
    FeatureColumns cols = FeatureColumns.resolve(table.schema(), null, List.of("x0", "x1", "x2"), null);
    EmSettings base = new EmSettings(2, CovarianceType.FULL, 30, 1e-6, 1e-6,
        EmSettings.Initialization.KMEANS_PLUS_PLUS, 2, 8);
    List<Integer> ks = List.of(2, 3, 4);
    List<CovarianceType> types = List.of(CovarianceType.FULL, CovarianceType.DIAG);
    MixtureSelectJob.Selection sel =
        MixtureSelectJob.select(SparkTests.spark(), table, cols, base, ks, types, "test");
    assertEquals(6, sel.candidates().size());
    try (FeatureData data = FeatureData.of(table, cols, 0, 4, "test")) {
      int i = 0;
      for (CovarianceType type : types) {
        for (int k : ks) {
          FitResult alone = MixtureFitter.fit(data, base.withK(k).withCovarianceType(type));
          var c = sel.candidates().get(i++);
          assertEquals(k, c.k());
          assertEquals(alone.meanLogLikelihood(), c.meanLogLikelihood(), 1e-12, type + " k=" + k);
          assertEquals(alone.iterations(), c.iterations(), type + " k=" + k);
        }
      }
    }
    // The planted mixture has 3 full-covariance components.
    assertEquals(3, sel.best().model().k());
  }

  private static boolean same(GaussianMixtureModel a, GaussianMixtureModel b) {
    boolean same = a.k() == b.k() && a.covarianceType() == b.covarianceType()
        && java.util.Arrays.equals(a.weights(), b.weights());
    for (int c = 0; same && c < a.k(); c++) {
      same = java.util.Arrays.equals(a.mean(c), b.mean(c))
          && java.util.Arrays.equals(a.covariance(c), b.covariance(c));
    }
    return same;
  }

  private static void assertSameMixture(FitResult expected, FitResult actual, String what) {
    assertEquals(expected.iterations(), actual.iterations(), what);
    assertEquals(expected.meanLogLikelihood(), actual.meanLogLikelihood(), 1e-12, what);
    GaussianMixtureModel e = expected.model();
    GaussianMixtureModel a = actual.model();
    assertArrayEquals(e.weights(), a.weights(), 1e-12, what);
    for (int c = 0; c < e.k(); c++) {
      assertArrayEquals(e.mean(c), a.mean(c), 1e-12, what + " mean " + c);
      assertArrayEquals(e.covariance(c), a.covariance(c), 1e-12, what + " covariance " + c);
    }
  }

  private static double dist(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += (a[j] - b[j]) * (a[j] - b[j]);
    }
    return Math.sqrt(s);
  }
}
