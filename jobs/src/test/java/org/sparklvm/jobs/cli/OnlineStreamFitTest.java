package org.sparklvm.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.model.MixtureSummary;
import org.sparklvm.core.model.ModelMetadata;
import org.sparklvm.jobs.SparkTests;
import org.sparklvm.jobs.gmm.MixtureKind;
import org.sparklvm.jobs.gmm.StoredMixtures;
import org.sparklvm.jobs.store.ModelStore;

/**
 * {@code lvm gmm fit --online --stream}: CSV files landing in a directory while the command runs
 * each make one online EM step from a poor start, each step is published as a loadable model version
 * whose fit of the rows rises, the last within 0.05 nats per row of batch EM on every row; a rerun
 * continues from the checkpoint and the newest version.
 */
class OnlineStreamFitTest {

  private static final int FILE_ROWS = 1000;

  @TempDir static Path dir;
  static SparkSession spark;
  static String poor;

  /** The planted mixture with every mean moved by 3 in every coordinate, stored as a model. */
  @BeforeAll
  static void storeAPoorModel() throws Exception {
    spark = SparkTests.spark();
    GaussianMixtureModel planted = SparkTests.planted();
    double[][] means = new double[3][];
    double[][] covariances = new double[3][];
    for (int c = 0; c < 3; c++) {
      means[c] = planted.mean(c).clone();
      for (int j = 0; j < 3; j++) {
        means[c][j] += 3.0;
      }
      covariances[c] = planted.covariance(c);
    }
    GaussianMixtureModel moved = new GaussianMixtureModel(planted.covarianceType(),
        planted.weights(), means, covariances);
    poor = dir.resolve("poor").toString();
    StoredMixtures.save(spark, moved, SparkTests.columns(planted, 500, 7),
        List.of("x0", "x1", "x2"), poor);
  }

  /** {@value #FILE_ROWS} rows id,x0,x1,x2 drawn from the planted mixture, ids from {@code first}. */
  private static double[][] draw(long seed) {
    Random random = new Random(seed);
    double[][] rows = new double[FILE_ROWS][3];
    for (double[] x : rows) {
      SparkTests.planted().sample(random, x);
    }
    return rows;
  }

  /** Moves a whole CSV file into the watched directory, as a file source expects files to arrive. */
  private static void land(Path in, String name, int first, double[][] rows, String... more)
      throws Exception {
    StringBuilder text = new StringBuilder("id,x0,x1,x2\n");
    for (String line : more) {
      text.append(line).append('\n');
    }
    for (int i = 0; i < rows.length; i++) {
      text.append(first + i).append(',').append(rows[i][0]).append(',').append(rows[i][1])
          .append(',').append(rows[i][2]).append('\n');
    }
    Path staging = dir.resolve("staging-" + name);
    Files.writeString(staging, text);
    Files.move(staging, in.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private static void awaitFolder(Path folder, CompletableFuture<Cli> run) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.exists(folder)) {
      assertTrue(!run.isDone(), "the command ended early: " + (run.isDone() ? run.get() : ""));
      assertTrue(System.nanoTime() < deadline, folder + " never appeared");
      Thread.sleep(100);
    }
  }

  private static double meanLogDensity(GaussianMixtureModel model, RowBlock rows) {
    double[] ld = new double[rows.rows()];
    model.evaluate(rows, ld, null);
    return Arrays.stream(ld).average().orElseThrow();
  }

  @Test
  void publishesAVersionPerBatchThatRisesToBatchEm() throws Exception {
    Path in = Files.createDirectories(dir.resolve("incoming"));
    Path out = dir.resolve("models");
    List<double[][]> files = new ArrayList<>();
    for (int f = 0; f < 5; f++) {
      files.add(draw(100 + f));
    }
    land(in, "f0.csv", 0, files.get(0));
    CompletableFuture<Cli> run = CompletableFuture.supplyAsync(() -> Cli.run("gmm", "fit",
        "--online", "--stream", "--init-model", poor, "--input", in.toString(), "--output",
        out.toString(), "--max-batches", "4", "--files-per-batch", "1", "--publish-every", "1"));
    for (int f = 1; f < 4; f++) {
      awaitFolder(out.resolve(String.format("v%06d", f)), run);
      if (f == 2) {
        land(in, "f2.csv", f * FILE_ROWS, files.get(f), "9001,1.0,NaN,2.0", "9002,abc,1.0,2.0");
      } else {
        land(in, "f" + f + ".csv", f * FILE_ROWS, files.get(f));
      }
    }
    Cli r = run.get(120, TimeUnit.SECONDS);
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(0, spark.streams().active().length, "a query is still running");
    JsonNode result = ModelMetadata.JSON.readTree(r.lastLine());
    assertEquals(4, result.get("batches").asLong());
    assertEquals(4 * FILE_ROWS, result.get("rows").asLong());
    assertEquals(4, result.get("versions").asLong());
    assertEquals(2, result.get("rowsRejected").asLong());
    var reasons = new java.util.HashMap<Integer, String>();
    for (var row : spark.read().parquet(out + ".rejects").collectAsList()) {
      reasons.put(row.getAs("id"), row.getAs("reason"));
      assertTrue(row.<String>getAs("inputFile").endsWith("f2.csv"));
    }
    assertEquals(java.util.Map.of(9001, "column 'x1' has NaN",
        9002, "column 'x0' is null; the record: '9002,abc,1.0,2.0'"), reasons);

    RowBlock all = block(files.subList(0, 4));
    double previous = meanLogDensity(
        ModelStore.load(spark, MixtureKind.INSTANCE, poor).model(), all);
    System.out.printf("poor start: %.6f%n", previous);
    for (int v = 1; v <= 4; v++) {
      var stored = ModelStore.load(spark, MixtureKind.INSTANCE,
          out.resolve(String.format("v%06d", v)).toString());
      MixtureSummary summary = stored.summary();
      assertEquals(v, summary.version());
      assertEquals(v * FILE_ROWS, summary.rows());
      assertEquals(v, summary.logLikelihoodHistory().size());
      double mean = meanLogDensity(stored.model(), all);
      System.out.printf("v%d: %.6f on all rows (prequential %.6f)%n", v, mean,
          summary.meanLogLikelihood());
      assertTrue(mean > previous, "version " + v + ": " + mean + " after " + previous);
      previous = mean;
    }
    String rows = dir.resolve("all.parquet").toString();
    writeParquet(all, rows);
    Cli batch = Cli.run("gmm", "fit", "--input", rows, "--feature-cols", "x0,x1,x2", "--k", "3",
        "--output", dir.resolve("batch").toString());
    assertEquals(0, batch.exitCode(), batch.err());
    double em = ModelMetadata.JSON.readTree(batch.lastLine()).get("meanLogLikelihood").asDouble();
    System.out.printf("batch EM: %.6f%n", em);
    assertEquals(em, previous, 0.05);

    // The same command again continues after f3.csv from the checkpoint, and from version 4's
    // mixture rather than --init-model's.
    land(in, "f4.csv", 4 * FILE_ROWS, files.get(4));
    Cli again = Cli.run("gmm", "fit", "--online", "--stream", "--init-model", poor, "--input",
        in.toString(), "--output", out.toString(), "--max-batches", "1");
    assertEquals(0, again.exitCode(), again.err());
    JsonNode next = ModelMetadata.JSON.readTree(again.lastLine());
    assertEquals(1, next.get("batches").asLong());
    assertEquals(FILE_ROWS, next.get("rows").asLong());
    assertEquals(out.resolve("v000004").toString(), next.get("initModel").asText());
    var fifth = ModelStore.load(spark, MixtureKind.INSTANCE, out.resolve("v000005").toString());
    assertEquals(5, fifth.summary().version());
    assertEquals(5 * FILE_ROWS, fifth.summary().rows());
    assertEquals(0, spark.streams().active().length, "a query is still running");
  }

  /**
   * A cold start waits, holding the rows, until the micro-batches hold k distinct rows; k-means++
   * then starts from them and they take part in the first step.
   */
  @Test
  void aColdStartWaitsForKDistinctRows() throws Exception {
    Path in = Files.createDirectories(dir.resolve("incoming-cold"));
    Path out = dir.resolve("cold");
    double[][] two = {{0.1, 0.2, 0.3}, {6.0, 6.0, 0.0}, {0.1, 0.2, 0.3}};
    land(in, "a.csv", 0, two);
    CompletableFuture<Cli> run = CompletableFuture.supplyAsync(() -> Cli.run("gmm", "fit",
        "--online", "--stream", "--k", "3", "--feature-cols", "x0,x1,x2", "--input",
        in.toString(), "--output", out.toString(), "--max-batches", "2", "--files-per-batch", "1",
        "--trigger-seconds", "0.2"));
    // The first micro-batch is committed, and nothing published.
    awaitFolder(dir.resolve("cold.checkpoint/commits/0"), run);
    assertFalse(Files.exists(out.resolve("v000001")), "published from 2 distinct rows");
    double[][] more = draw(200);
    land(in, "b.csv", 10, more);
    Cli r = run.get(120, TimeUnit.SECONDS);
    assertEquals(0, r.exitCode(), r.err());
    JsonNode result = ModelMetadata.JSON.readTree(r.lastLine());
    assertEquals("cold", result.get("start").asText());
    assertEquals(1, result.get("versions").asLong());
    var stored = ModelStore.load(spark, MixtureKind.INSTANCE, out.resolve("v000001").toString());
    assertEquals(FILE_ROWS + 3, stored.summary().rows());
    double fitted = meanLogDensity(stored.model(), block(List.<double[][]>of(more)));
    double planted = meanLogDensity(SparkTests.planted(), block(List.<double[][]>of(more)));
    System.out.printf("cold start, one step: %.6f; planted mixture: %.6f%n", fitted, planted);
    assertEquals(planted, fitted, 0.1);
  }

  @Test
  void streamWithoutOnlineIsAUsageError() {
    Cli r = Cli.run("gmm", "fit", "--stream", "--input", dir.toString(), "--k", "3",
        "--output", dir.resolve("never").toString());
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--stream goes with --online"), r.err());
    assertFalse(Files.exists(dir.resolve("never")));
  }

  private static RowBlock block(List<double[][]> files) {
    List<double[]> rows = new ArrayList<>();
    files.forEach(f -> rows.addAll(Arrays.asList(f)));
    double[] values = new double[rows.size() * 3];
    for (int r = 0; r < rows.size(); r++) {
      System.arraycopy(rows.get(r), 0, values, r * 3, 3);
    }
    return new RowBlock(rows.size(), 3, values, null);
  }

  private static void writeParquet(RowBlock rows, String path) {
    List<org.apache.spark.sql.Row> list = new ArrayList<>();
    for (int i = 0; i < rows.rows(); i++) {
      double[] x = rows.row(i);
      list.add(org.apache.spark.sql.RowFactory.create(x[0], x[1], x[2]));
    }
    spark.createDataFrame(list, new org.apache.spark.sql.types.StructType()
        .add("x0", "double").add("x1", "double").add("x2", "double")).write().parquet(path);
  }
}
