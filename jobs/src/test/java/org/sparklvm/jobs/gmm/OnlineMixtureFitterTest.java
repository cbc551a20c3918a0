package org.sparklvm.jobs.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.ExpectationMaximization;
import org.sparklvm.core.gmm.FitResult;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.gmm.Initializer;
import org.sparklvm.core.gmm.OnlineSettings;
import org.sparklvm.core.model.MixtureSummary;
import org.sparklvm.jobs.SparkTests;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.bench.MixtureBenchmark;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;
import org.sparklvm.jobs.store.ModelStore;
import org.sparklvm.jobs.store.StoredModel;

class OnlineMixtureFitterTest {

  /**
   * On 20,000 rows of a planted mixture (d = 4, k = 3), online EM over mini-batches of 2,000 rows
   * from batch EM's start (k-means++ screened on a sample, as a fit starts) reaches batch EM's
   * converged mean log-likelihood within 0.01 nats per row in at most three passes, for full and
   * diagonal covariances.
   */
  @Test
  void onlineEmReachesBatchEmWithinThreePasses() {
    GaussianMixtureModel planted = MixtureBenchmark.plantedMixture(3, 4, new Random(7));
    Dataset<Row> table = SparkTests.vectors(planted, 20_000, 8);
    FeatureColumns cols = FeatureColumns.resolve(table.schema(), null, List.of(), null);
    ShuffledMiniBatches batches = ShuffledMiniBatches.of(table, cols, 2000, 2, 9);
    assertEquals(10, batches.count());
    assertEquals(20_000, batches.rows());
    try (FeatureData data = FeatureData.of(table, cols, 0, 3, "test")) {
      for (CovarianceType type : List.of(CovarianceType.FULL, CovarianceType.DIAG)) {
        EmSettings settings = new EmSettings(3, type, 300, 1e-6, 1e-6,
            EmSettings.Initialization.KMEANS_PLUS_PLUS, 1, 9);
        GaussianMixtureModel start =
            Initializer.screened(data.sample(2000, 9), settings, new Random(9));
        FitResult batch = ExpectationMaximization.run(start,
            new DistributedExpectation(data.blocks()), settings, (i, l, t) -> { });
        FitResult online = OnlineMixtureFitter.fit(batches,
            new EmSettings(3, type, 300, 0.0, 1e-6, EmSettings.Initialization.KMEANS_PLUS_PLUS, 1,
                9),
            new OnlineSettings(2000, 0.6, 3), start);
        assertEquals(3, online.iterations());
        assertEquals(20_000, online.rows());
        assertTrue(online.meanLogLikelihood() > batch.meanLogLikelihood() - 0.01,
            type + ": online " + online.meanLogLikelihood() + ", batch " + batch.meanLogLikelihood());
      }
    }
  }

  /**
   * Every row lands in exactly one mini-batch, weights travel with their rows, and the mini-batches
   * are random samples of the table (not its partitions in order): a table sorted by component
   * still gives every batch about the planted share of each.
   */
  @Test
  void miniBatchesDealEveryRowOnceAtRandom() {
    Dataset<Row> table = SparkTests.columns(SparkTests.planted(), 6000, 3)
        .withColumn("w", functions.col("component").plus(1).cast("double"))
        .orderBy("component").coalesce(2);
    FeatureColumns cols =
        FeatureColumns.resolve(table.schema(), null, List.of("x0", "x1", "x2"), "w");
    ShuffledMiniBatches batches = ShuffledMiniBatches.of(table, cols, 1500, 3, 1);
    assertEquals(4, batches.count());
    assertEquals(12, batches.blocks().getNumPartitions());
    double expectedWeight = table.agg(functions.sum("w")).first().getDouble(0);
    List<RowBlock> all = batches.blocks().collect();
    assertEquals(6000, all.stream().mapToInt(RowBlock::rows).sum());
    assertEquals(expectedWeight, all.stream().mapToDouble(RowBlock::totalWeight).sum(), 1e-9);
    // Component 0 (weight 1) holds half the rows: about half of every batch's rows weigh 1.
    GaussianMixtureModel m = SparkTests.planted();
    for (int b = 0; b < batches.count(); b++) {
      var s = batches.expect(b, m);
      assertEquals(1500, s.rows(), 150, "batch " + b);
      assertEquals(0.5, s.mass(0) / s.rows(), 0.06,
          "batch " + b + " share of component 0");
    }
  }

  /** The fit is stored, summarised and scored through batch EM's path, and loads back. */
  @Test
  void theFitIsStoredThroughTheBatchFitsPath() throws Exception {
    Dataset<Row> table = SparkTests.vectors(SparkTests.planted(), 5000, 4);
    FeatureColumns cols = FeatureColumns.resolve(table.schema(), null, List.of(), null);
    EmSettings settings = EmSettings.defaults(3);
    FitResult fit = OnlineMixtureFitter.fit(table, cols, settings, new OnlineSettings(500, 0.6, 2),
        null);
    assertEquals(5000, fit.rows());
    Path dir = Files.createTempDirectory("online-gmm");
    String path = dir.resolve("model").toUri().toString();
    try (FeatureData data = FeatureData.of(table, cols, 0, 3, "test")) {
      StoredModel<GaussianMixtureModel, MixtureSummary> stored =
          MixtureFitJob.describe(SparkTests.spark(), data, fit, settings, "test", 1.0, null);
      ModelStore.save(SparkTests.spark(), stored, path, false);
    }
    var loaded = ModelStore.load(SparkTests.spark(), MixtureKind.INSTANCE, path);
    assertEquals(5000, loaded.metadata().summary().get("rows").asLong());
    assertEquals(fit.meanLogLikelihood(),
        loaded.metadata().summary().get("meanLogLikelihood").asDouble(), 1e-12);
    double[] x = {6, 6, 0};
    assertEquals(fit.model().logDensity(x), loaded.model().logDensity(x), 1e-12);
  }

  @Test
  void aBadRowOrAMismatchedStartIsTheUsersError() {
    Dataset<Row> table = SparkTests.columns(SparkTests.planted(), 300, 5)
        .withColumn("x1", functions.when(functions.col("component").equalTo(2),
            functions.lit(Double.NaN)).otherwise(functions.col("x1")));
    FeatureColumns cols =
        FeatureColumns.resolve(table.schema(), null, List.of("x0", "x1", "x2"), null);
    UserInputException e = assertThrows(UserInputException.class, () -> OnlineMixtureFitter.fit(
        table, cols, EmSettings.defaults(3), new OnlineSettings(100, 0.6, 1), null));
    assertTrue(e.getMessage().startsWith("a row of the input is bad: column"), e.getMessage());
    assertTrue(e.getMessage().contains("x1"), e.getMessage());
    e = assertThrows(UserInputException.class, () -> OnlineMixtureFitter.fit(
        table, cols, EmSettings.defaults(2), new OnlineSettings(100, 0.6, 1), SparkTests.planted()));
    assertEquals("the starting mixture has k = 3 and full covariances, not k = 2 and full",
        e.getMessage());
  }
}
