package org.sparklvm.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.jobs.SparkTests;
import org.sparklvm.jobs.gmm.MixtureKind;
import org.sparklvm.jobs.store.ModelStore;

/**
 * {@code gmm fit --online} through the real command line: stepwise EM over random mini-batches,
 * stored like any fit. The reference is batch EM on the same rows and the exact mean log p(x) of the
 * rows under the planted mixture.
 */
class OnlineFitCommandTest {

  private static final int ROWS = 20_000;

  @TempDir static Path dir;
  static SparkSession spark;
  static String data;

  @BeforeAll
  static void plantRows() {
    spark = SparkTests.spark();
    data = dir.resolve("rows.parquet").toString();
    SparkTests.columns(SparkTests.planted(), ROWS, 41).write().parquet(data);
  }

  private static JsonNode fit(String... args) throws Exception {
    String[] all = new String[args.length + 2];
    all[0] = "gmm";
    all[1] = "fit";
    System.arraycopy(args, 0, all, 2, args.length);
    Cli r = Cli.run(all);
    assertEquals(0, r.exitCode(), r.err());
    return new ObjectMapper().readTree(r.lastLine());
  }

  @Test
  void onlineFitReachesBatchEmAndIsStoredLikeAnyFit() throws Exception {
    String batch = dir.resolve("batch").toString();
    String online = dir.resolve("online").toString();
    JsonNode b = fit("--input", data, "--feature-cols", "x0,x1,x2", "--k", "3", "--output", batch);
    JsonNode o = fit("--input", data, "--feature-cols", "x0,x1,x2", "--k", "3", "--online",
        "--batch-rows", "2000", "--max-passes", "3", "--output", online);
    System.out.printf("batch EM %d iterations, %.6f; online %d passes, %.6f%n",
        b.get("iterations").asInt(), b.get("meanLogLikelihood").asDouble(),
        o.get("iterations").asInt(), o.get("meanLogLikelihood").asDouble());
    assertTrue(o.get("online").asBoolean());
    assertTrue(o.get("iterations").asInt() <= 3, "passes: " + o.get("iterations"));
    assertEquals(b.get("meanLogLikelihood").asDouble(), o.get("meanLogLikelihood").asDouble(),
        0.01);
    var stored = ModelStore.load(spark, MixtureKind.INSTANCE, online);
    assertEquals(2000, stored.metadata().params().get("batchRows").asInt());
    assertEquals(ROWS, stored.summary().rows());
    // The stored mean log-likelihood is the fitted model's own on every row.
    GaussianMixtureModel m = stored.model();
    RowBlock rows = rows(data);
    double[] ld = new double[rows.rows()];
    m.evaluate(rows, ld, null);
    assertEquals(Arrays.stream(ld).average().orElseThrow(),
        stored.summary().meanLogLikelihood(), 1e-9);
    // The anomaly reference is the training rows': about 1% of them below the 1% threshold.
    double threshold = stored.anomalyThreshold(0.01);
    assertEquals(200, Arrays.stream(ld).filter(v -> v < threshold).count(), 10);
  }

  /** Every row of the table's x0..x2, as one block. */
  private static RowBlock rows(String path) {
    var list = spark.read().parquet(path).select("x0", "x1", "x2").collectAsList();
    double[] values = new double[list.size() * 3];
    for (int r = 0; r < list.size(); r++) {
      for (int j = 0; j < 3; j++) {
        values[r * 3 + j] = list.get(r).getDouble(j);
      }
    }
    return new RowBlock(list.size(), 3, values, null);
  }

  /**
   * A row of weight w is w copies of the row: online EM on a weighted table and on the table with
   * each row repeated w times, from the same start in one mini-batch, give the same mixture.
   */
  @Test
  void aWeightIsThatManyCopiesOfTheRow() throws Exception {
    var rows = spark.read().parquet(data).limit(3000).collectAsList();
    var weighted = new ArrayList<Row>();
    var repeated = new ArrayList<Row>();
    for (int r = 0; r < rows.size(); r++) {
      double w = 1 + r % 3;
      var row = rows.get(r);
      weighted.add(RowFactory.create(row.getDouble(0), row.getDouble(1),
          row.getDouble(2), w));
      for (int c = 0; c < w; c++) {
        repeated.add(RowFactory.create(row.getDouble(0), row.getDouble(1),
            row.getDouble(2), 1.0));
      }
    }
    var schema = new StructType()
        .add("x0", "double").add("x1", "double").add("x2", "double").add("w", "double");
    String weightedPath = dir.resolve("weighted.parquet").toString();
    String repeatedPath = dir.resolve("repeated.parquet").toString();
    spark.createDataFrame(weighted, schema).write().parquet(weightedPath);
    spark.createDataFrame(repeated, schema).write().parquet(repeatedPath);
    String start = dir.resolve("start").toString();
    fit("--input", data, "--feature-cols", "x0,x1,x2", "--k", "3", "--max-iter", "1",
        "--output", start);
    GaussianMixtureModel[] fits = new GaussianMixtureModel[2];
    String[] inputs = {weightedPath, repeatedPath};
    for (int i = 0; i < 2; i++) {
      String out = dir.resolve("weights-" + i).toString();
      fit("--input", inputs[i], "--feature-cols", "x0,x1,x2", "--weight-col", "w", "--online",
          "--init-model", start, "--batch-rows", "100000", "--max-passes", "2", "--tol", "0",
          "--output", out);
      fits[i] = ModelStore.load(spark, MixtureKind.INSTANCE, out).model();
    }
    for (int c = 0; c < 3; c++) {
      assertEquals(fits[1].weights()[c], fits[0].weights()[c], 1e-9);
      assertArrayEquals(fits[1].mean(c), fits[0].mean(c), 1e-9);
      assertArrayEquals(fits[1].covariance(c),
          fits[0].covariance(c), 1e-9);
    }
    // And the weights matter: the unweighted fit of the same rows is another mixture.
    String plain = dir.resolve("weights-ignored").toString();
    fit("--input", weightedPath, "--feature-cols", "x0,x1,x2", "--online", "--init-model", start,
        "--batch-rows", "100000", "--max-passes", "2", "--tol", "0", "--output", plain);
    GaussianMixtureModel unweighted = ModelStore.load(spark, MixtureKind.INSTANCE, plain).model();
    assertTrue(Math.abs(unweighted.mean(0)[0] - fits[0].mean(0)[0]) > 1e-6);
  }

  @Test
  void onlineOptionsWithoutOnlineAreAUsageError() {
    Cli r = Cli.run("gmm", "fit", "--input", data, "--k", "3", "--batch-rows", "1000",
        "--output", dir.resolve("never").toString());
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("go with --online"), r.err());
  }
}
