package org.sparklvm.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.model.ModelMetadata;
import org.sparklvm.jobs.SparkTests;
import org.sparklvm.jobs.gmm.MixtureKind;
import org.sparklvm.jobs.store.ModelStore;

/**
 * {@code lvm gmm score --stream}: CSV files landing in a directory while the command runs are each
 * scored once, their bad rows set aside with the batch check's reasons, and the command stops by
 * itself after {@code --max-batches}, leaving no query running.
 */
class StreamScoreTest {

  @TempDir static Path dir;
  static SparkSession spark;
  static String model;

  @BeforeAll
  static void fitAModel() {
    spark = SparkTests.spark();
    String data = dir.resolve("train.parquet").toString();
    SparkTests.columns(SparkTests.planted(), 2000, 5).write().parquet(data);
    model = dir.resolve("model").toString();
    Cli fit = Cli.run("gmm", "fit", "--input", data, "--feature-cols", "x0,x1,x2", "--k", "3",
        "--output", model);
    assertEquals(0, fit.exitCode(), fit.err());
  }

  /** 200 rows id,x0,x1,x2 drawn from the planted mixture, ids from {@code first}. */
  private static List<String> rows(int first, long seed) {
    GaussianMixtureModel planted = SparkTests.planted();
    Random random = new Random(seed);
    double[] x = new double[3];
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      planted.sample(random, x);
      lines.add((first + i) + "," + x[0] + "," + x[1] + "," + x[2]);
    }
    return lines;
  }

  /** Moves a whole file into the watched directory, as a file source expects files to arrive. */
  private static void land(Path in, String name, List<String> lines) throws Exception {
    Path staging = dir.resolve("staging-" + name);
    Files.writeString(staging, "id,x0,x1,x2\n" + String.join("\n", lines) + "\n");
    Files.move(staging, in.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private static void awaitFolder(Path folder, CompletableFuture<Cli> run) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.isDirectory(folder)) {
      assertTrue(!run.isDone(), "the command ended early: " + (run.isDone() ? run.get() : ""));
      assertTrue(System.nanoTime() < deadline, folder + " never appeared");
      Thread.sleep(100);
    }
  }

  @Test
  void scoresFilesAsTheyLandRejectsBadRowsAndStopsByItself() throws Exception {
    Path in = Files.createDirectories(dir.resolve("incoming"));
    Path out = dir.resolve("scored");
    List<String> first = rows(0, 1);
    List<String> second = rows(1000, 2);
    second.set(17, "1017,0.5,NaN,1.0");
    List<String> third = rows(2000, 3);
    third.set(3, "2003,1.0,2.0,");
    third.set(50, "2050,abc,1.0,2.0");
    third.set(99, "2099,1.0,2.0");
    land(in, "a.csv", first);

    CompletableFuture<Cli> run = CompletableFuture.supplyAsync(() -> Cli.run("gmm", "score",
        "--stream", "--model", model, "--input", in.toString(), "--output", out.toString(),
        "--anomaly-quantile", "0.05", "--max-batches", "3", "--files-per-batch", "1"));
    awaitFolder(out.resolve("batch=0"), run);
    land(in, "b.csv", second);
    awaitFolder(out.resolve("batch=1"), run);
    land(in, "c.csv", third);
    Cli r = run.get(120, TimeUnit.SECONDS);
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(spark.streams().active().length == 0, "a query is still running");

    JsonNode result = ModelMetadata.JSON.readTree(r.lastLine());
    assertEquals(3, result.get("batches").asLong());
    assertEquals(596, result.get("rowsScored").asLong());
    assertEquals(4, result.get("rowsRejected").asLong());
    assertEquals(out + ".rejects", result.get("rejects").asText());

    var stored = ModelStore.load(spark, MixtureKind.INSTANCE, model);
    GaussianMixtureModel mixture = stored.model();
    double threshold = stored.anomalyThreshold(0.05);
    assertEquals(threshold, result.get("anomalyThreshold").asDouble());
    Map<Integer, Row> scored = new HashMap<>();
    for (Row row : spark.read().parquet(out.toString()).collectAsList()) {
      int id = row.getAs("id");
      assertTrue(scored.put(id, row) == null, "row " + id + " scored twice");
      double[] x = {row.getAs("x0"), row.getAs("x1"), row.getAs("x2")};
      double ll = row.getAs("logLikelihood");
      assertEquals(mixture.logDensity(x), ll, 1e-9, "row " + id);
      assertEquals(ll < threshold, row.<Boolean>getAs("anomaly"), "row " + id);
      assertEquals(id / 1000, row.<Integer>getAs("batch"), "row " + id + "'s batch");
    }
    assertEquals(596, scored.size());

    Map<Integer, String> reasons = new HashMap<>();
    for (Row row : spark.read().parquet(out + ".rejects").collectAsList()) {
      reasons.put(row.getAs("id"), row.getAs("reason"));
      String file = row.getAs("inputFile");
      assertTrue(file.endsWith(row.<Integer>getAs("id") < 2000 ? "b.csv" : "c.csv"), file);
    }
    assertEquals(Map.of(
        1017, "column 'x1' has NaN",
        2003, "column 'x2' is null",
        2050, "column 'x0' is null; the record: '2050,abc,1.0,2.0'",
        2099, "column 'x2' is null; the record: '2099,1.0,2.0'"), reasons);

    // Run again on the same output: the checkpoint continues after c.csv, with the next batch id.
    land(in, "d.csv", rows(3000, 4));
    Cli again = Cli.run("gmm", "score", "--stream", "--model", model, "--input", in.toString(),
        "--output", out.toString(), "--max-batches", "1");
    assertEquals(0, again.exitCode(), again.err());
    JsonNode next = ModelMetadata.JSON.readTree(again.lastLine());
    assertEquals(1, next.get("batches").asLong());
    assertEquals(200, next.get("rowsScored").asLong());
    assertEquals(0, next.get("rowsRejected").asLong());
    assertEquals(796, spark.read().parquet(out.toString()).select("id").distinct().count());
    assertEquals(796, spark.read().parquet(out.toString()).count());
    assertEquals(200, spark.read().parquet(out + "/batch=3").count());
    assertTrue(spark.streams().active().length == 0, "a query is still running");
  }

  @Test
  void streamOptionsWithoutStreamAreAUsageError() {
    Cli r = Cli.run("gmm", "score", "--model", model, "--input", "in", "--output", "out",
        "--max-batches", "2");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("go with --stream"), r.err());
  }

  @Test
  void anOutputWithoutItsCheckpointIsRefused() throws Exception {
    Path in = Files.createDirectories(dir.resolve("incoming-2"));
    land(in, "a.csv", rows(0, 9));
    Path out = Files.createDirectories(dir.resolve("existing"));
    Cli r = Cli.run("gmm", "score", "--stream", "--model", model, "--input", in.toString(),
        "--output", out.toString(), "--max-batches", "1");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("exists without the checkpoint"), r.err());
  }
}
