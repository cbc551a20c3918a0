package org.sparklvm.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.jobs.SparkTests;
import org.sparklvm.jobs.gmm.MixtureKind;
import org.sparklvm.jobs.store.ModelStore;

/** fit, score, sample and select through the real command line, on a planted mixture. */
class MixtureCommandsTest {

  @TempDir static Path dir;
  static SparkSession spark;
  static String data;
  static String model;

  @BeforeAll
  static void fit() throws Exception {
    spark = SparkTests.spark();
    data = dir.resolve("train.parquet").toString();
    SparkTests.columns(SparkTests.planted(), 20_000, 7).write().parquet(data);
    model = dir.resolve("model").toString();
    Cli r = Cli.run("gmm", "fit", "--input", data, "--feature-cols", "x0,x1,x2", "--k", "3",
        "--n-init", "2", "--seed", "3", "--output", model);
    assertEquals(0, r.exitCode(), r.err());
    JsonNode result = new ObjectMapper().readTree(r.lastLine());
    assertEquals("ok", result.get("status").asText());
    assertTrue(result.get("converged").asBoolean());
  }

  /**
   * The fit's pictures exist and their sample says what they show: clusters in the planted
   * proportions (0.5, 0.3, 0.2) and log-densities whose mean is the fit's mean log-likelihood. Then
   * {@code lvm plot} draws them again from the directory alone.
   */
  @Test
  void fitDrawsItsPicturesAndPlotRedrawsThem() throws Exception {
    Path plots = Path.of(model, "plots");
    List<String> pictures = List.of("log-likelihood.png", "clusters.png", "log-density.png");
    for (String png : pictures) {
      var image = javax.imageio.ImageIO.read(plots.resolve(png).toFile());
      assertEquals(800, image.getWidth(), png);
      assertEquals(600, image.getHeight(), png);
    }
    var stored = ModelStore.load(spark, MixtureKind.INSTANCE, model);
    var sample = stored.plotSample();
    int n = sample.groups().length;
    assertTrue(n > 1500 && n <= 2000, n + " rows sampled");
    double[] share = new double[3];
    for (int g : sample.groups()) {
      share[g] += 1.0 / n;
    }
    java.util.Arrays.sort(share);
    // Binomial standard errors near 0.011 for 2000 rows.
    assertArrayEquals(new double[] {0.2, 0.3, 0.5}, share, 0.05);
    double meanLogDensity = java.util.Arrays.stream(sample.values()).average().orElseThrow();
    assertEquals(stored.metadata().summary().get("meanLogLikelihood").asDouble(), meanLogDensity,
        0.1);
    // The points are the rows on their first two principal axes: their variances are those axes'.
    double varX = variance(sample.x());
    assertEquals(sample.axes().variances()[0], varX, 0.1 * varX);
    assertTrue(varX >= variance(sample.y()), "first axis has the most variance");

    for (String png : pictures) {
      java.nio.file.Files.delete(plots.resolve(png));
    }
    Cli r = Cli.run("plot", "--model", model);
    assertEquals(0, r.exitCode(), r.err());
    for (String png : pictures) {
      assertTrue(java.nio.file.Files.exists(plots.resolve(png)), png + " not redrawn");
    }
    assertEquals(2, Cli.run("plot", "--model", dir.resolve("absent").toString()).exitCode());
  }

  private static double variance(double[] v) {
    double mean = java.util.Arrays.stream(v).average().orElseThrow();
    return java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1);
  }

  /** A dry run checks arguments, input columns, the model and the output path, and writes nothing. */
  @Test
  void dryRunChecksWithoutRunning() throws Exception {
    String out = dir.resolve("dry").toString();
    Cli ok = Cli.run("gmm", "fit", "--input", data, "--feature-cols", "x0,x1", "--k", "2",
        "--output", out, "--dry-run");
    assertEquals(0, ok.exitCode(), ok.err());
    assertEquals("dry-run", new ObjectMapper().readTree(ok.lastLine()).get("status").asText());
    assertTrue(!java.nio.file.Files.exists(Path.of(out)), "a dry run wrote its output");
    Cli score = Cli.run("gmm", "score", "--model", model, "--input", data, "--output", out,
        "--anomaly-quantile", "0.01", "--dry-run");
    assertEquals(0, score.exitCode(), score.err());

    Cli column = Cli.run("gmm", "fit", "--input", data, "--feature-cols", "x0,nope", "--k", "2",
        "--output", out, "--dry-run");
    assertEquals(2, column.exitCode());
    assertTrue(column.err().contains("nope"), column.err());
    Cli exists = Cli.run("gmm", "fit", "--input", data, "--k", "2", "--output", model, "--dry-run");
    assertEquals(2, exists.exitCode());
    Cli noModel = Cli.run("vae", "score", "--model", dir.resolve("absent").toString(), "--input",
        data, "--output", out, "--dry-run");
    assertEquals(2, noModel.exitCode());
    assertTrue(noModel.err().contains("absent"), noModel.err());
    Cli badK = Cli.run("gmm", "fit", "--input", data, "--k", "0", "--output", out, "--dry-run");
    assertEquals(2, badK.exitCode());
    Cli label = Cli.run("vae", "fit", "--input", data, "--feature-cols", "x0,x1", "--likelihood",
        "gaussian", "--label-col", "nope", "--output", out, "--dry-run");
    assertEquals(2, label.exitCode());
    assertTrue(label.err().contains("'nope'"), label.err());
  }

  @Test
  void metadataHoldsParamsSummaryAndProvenance() {
    var stored = ModelStore.load(spark, MixtureKind.INSTANCE, model);
    var meta = stored.metadata();
    assertEquals("spark-lvm/gmm", meta.format());
    assertEquals(3, meta.params().get("k").asInt());
    assertEquals("full", meta.params().get("covarianceType").asText());
    assertEquals(2, meta.params().get("nInit").asInt());
    assertEquals(List.of("x0", "x1", "x2"), stored.featureCols());
    JsonNode s = meta.summary();
    assertEquals(20_000, s.get("rows").asLong());
    JsonNode history = s.get("logLikelihoodHistory");
    assertEquals(s.get("iterations").asInt() + 1, history.size());
    assertEquals(s.get("meanLogLikelihood").asDouble(), history.get(history.size() - 1).asDouble());
    // BIC = -2 n meanLL + p ln n with p = 2 + 9 + 18 = 29 for k = 3, d = 3, full.
    double n = 20_000;
    assertEquals(-2 * n * s.get("meanLogLikelihood").asDouble() + 29 * Math.log(n),
        s.get("bic").asDouble(), 1e-6);
    assertEquals(-2 * n * s.get("meanLogLikelihood").asDouble() + 58, s.get("aic").asDouble(), 1e-6);
    assertTrue(meta.provenance().get("input").asText().endsWith("train.parquet"));
    assertEquals(3, meta.provenance().get("seed").asLong());
    assertEquals(spark.version(), meta.provenance().get("libraries").get("spark").asText());
  }

  @Test
  void scoreAddsClusterProbabilityDensityAndAnomalyFlag() {
    String out = dir.resolve("scored").toString();
    Cli r = Cli.run("gmm", "score", "--model", model, "--input", data, "--output", out,
        "--anomaly-quantile", "0.05");
    assertEquals(0, r.exitCode(), r.err());
    Dataset<Row> scored = spark.read().parquet(out);
    assertEquals(List.of("x0", "x1", "x2", "component", "prediction", "probability", "logLikelihood",
        "anomaly"), List.of(scored.columns()));
    GaussianMixtureModel m = ModelStore.load(spark, MixtureKind.INSTANCE, model).model();
    List<Row> rows = scored.limit(200).collectAsList();
    for (Row row : rows) {
      double[] x = {row.getDouble(0), row.getDouble(1), row.getDouble(2)};
      assertEquals(m.logDensity(x), row.getDouble(6), 1e-9);
      assertArrayEquals(m.responsibilities(x), ((Vector) row.get(5)).toArray(), 1e-9);
    }
    // Planted components are far apart: the MAP cluster is a relabelling of the true one.
    long agree = scored.groupBy("component", "prediction").count().collectAsList().stream()
        .mapToLong(c -> c.getLong(2)).filter(c -> c > 100).sum();
    assertTrue(agree > 19_900, "clusters agree with the planted components: " + agree);
    long flagged = scored.filter("anomaly").count();
    assertEquals(1000, flagged, 60);
  }

  @Test
  void samplesFollowTheModel() {
    String out = dir.resolve("samples").toString();
    Cli r = Cli.run("gmm", "sample", "--model", model, "--n", "40000", "--seed", "1",
        "--output", out);
    assertEquals(0, r.exitCode(), r.err());
    Dataset<Row> s = spark.read().parquet(out);
    assertEquals(40_000, s.count());
    assertEquals(List.of("x0", "x1", "x2", "component"), List.of(s.columns()));
    GaussianMixtureModel m = ModelStore.load(spark, MixtureKind.INSTANCE, model).model();
    Row means = s.selectExpr("avg(x0)", "avg(x1)", "avg(x2)").first();
    for (int j = 0; j < 3; j++) {
      double expected = 0;
      for (int c = 0; c < 3; c++) {
        expected += m.weights()[c] * m.mean(c)[j];
      }
      // The mixture's marginal standard deviation is below 6; the error of a mean of 40000 < 0.03.
      assertEquals(expected, means.getDouble(j), 0.1, "mean of x" + j);
    }
    long fromFirst = s.filter("component = 0").count();
    assertEquals(m.weights()[0] * 40_000, fromFirst, 400);
    Cli again = Cli.run("gmm", "sample", "--model", model, "--n", "40000", "--seed", "1",
        "--output", out, "--overwrite");
    assertEquals(0, again.exitCode(), again.err());
    assertEquals(means, spark.read().parquet(out).selectExpr("avg(x0)", "avg(x1)", "avg(x2)").first());
  }

  @Test
  void selectPrefersThePlantedNumberOfComponents() throws Exception {
    String out = dir.resolve("selected").toString();
    Cli r = Cli.run("gmm", "select", "--input", data, "--feature-cols", "x0,x1,x2", "--k", "1..5",
        "--covariance", "full,diag", "--output", out);
    assertEquals(0, r.exitCode(), r.err());
    JsonNode result = new ObjectMapper().readTree(r.lastLine());
    assertEquals(3, result.get("k").asInt());
    assertEquals("full", result.get("covarianceType").asText());
    var stored = ModelStore.load(spark, MixtureKind.INSTANCE, out);
    assertEquals(10, stored.metadata().summary().get("selection").size());
    assertTrue(r.out().contains("BIC"));
    assertEquals(800, javax.imageio.ImageIO.read(Path.of(out, "plots", "selection.png").toFile())
        .getWidth());
  }
}
