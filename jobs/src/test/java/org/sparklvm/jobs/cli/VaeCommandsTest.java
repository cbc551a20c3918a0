package org.sparklvm.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.core.model.ModelFormatException;
import org.sparklvm.core.vae.Elbo;
import org.sparklvm.core.vae.ImportanceSampler;
import org.sparklvm.core.vae.ProbabilisticPca;
import org.sparklvm.core.vae.VaeModel;
import org.sparklvm.jobs.SparkTests;
import org.sparklvm.jobs.store.ModelStore;
import org.sparklvm.jobs.vae.VaeKind;

/** {@code lvm vae fit} through the real command line on small binary data. */
class VaeCommandsTest {

  @TempDir static Path dir;
  static SparkSession spark;
  static String data;

  /** Rows that switch on one of three planted binary patterns, with 5% of bits flipped. */
  @BeforeAll
  static void makeData() {
    spark = SparkTests.spark();
    double[][] patterns = {{1, 1, 1, 0, 0, 0, 0, 0}, {0, 0, 0, 1, 1, 1, 0, 0},
        {0, 0, 0, 0, 0, 1, 1, 1}};
    Random random = new Random(2);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      int pattern = random.nextInt(3);
      double[] x = patterns[pattern].clone();
      for (int j = 0; j < x.length; j++) {
        if (random.nextDouble() < 0.05) {
          x[j] = 1 - x[j];
        }
      }
      rows.add(RowFactory.create(Vectors.dense(x), "pattern " + pattern));
    }
    data = dir.resolve("binary.parquet").toString();
    spark.createDataFrame(rows, new StructType().add("features", SQLDataTypes.VectorType(), false)
        .add("pattern", org.apache.spark.sql.types.DataTypes.StringType, false))
        .repartition(2).write().parquet(data);
  }

  @Test
  void fitWritesALoadableModelWithItsSummary() throws Exception {
    String model = dir.resolve("vae").toString();
    Cli r = Cli.run("vae", "fit", "--input", data, "--latent-dim", "2", "--encoder", "16",
        "--decoder", "16", "--epochs", "4", "--batch-size-per-worker", "16",
        "--averaging-frequency", "2", "--learning-rate", "1e-2", "--importance-samples", "50",
        "--image-shape", "2x4", "--label-col", "pattern", "--output", model);
    assertEquals(0, r.exitCode(), r.err());
    JsonNode result = new ObjectMapper().readTree(r.lastLine());
    assertEquals(4, result.get("epochs").asInt());
    assertTrue(Files.exists(Path.of(model, "network.zip")));
    Path plots = Path.of(model, "plots");
    // 10 samples a row, each 4 pixels wide with a 1-pixel gap.
    assertEquals(10 * 5 + 1,
        javax.imageio.ImageIO.read(plots.resolve("samples.png").toFile()).getWidth());
    // Reconstructions: 10 inputs (2x4 pixels) above their reconstructions, the decoder's mean at
    // the encoder's mean, computed here again from the stored model.
    var pairs = javax.imageio.ImageIO.read(plots.resolve("reconstructions.png").toFile());
    assertEquals(10 * 5 + 1, pairs.getWidth());
    assertEquals(2 * 3 + 1, pairs.getHeight());
    var written = ModelStore.load(spark, VaeKind.INSTANCE, model);
    VaeModel trained = written.model().latentModel();
    double[][] inputs = written.plotSample().inputs();
    assertEquals(10, inputs.length);
    for (int i = 0; i < 10; i++) {
      double[] recon = trained.decodeMean(trained.encode(inputs[i]).mean(), 1);
      for (int p = 0; p < 8; p++) {
        int x = 1 + i * 5 + p % 4;
        assertEquals(inputs[i][p] * 255, pairs.getRaster().getSample(x, 1 + p / 4, 0), 0.5);
        assertEquals(recon[p] * 255, pairs.getRaster().getSample(x, 4 + p / 4, 0), 0.5);
      }
    }
    for (String png : List.of("elbo.png", "latent.png")) {
      assertEquals(800, javax.imageio.ImageIO.read(plots.resolve(png).toFile()).getWidth(), png);
    }
    assertFalse(Files.exists(dir.resolve(".vae.work")), "work folder left behind");

    var stored = ModelStore.load(spark, VaeKind.INSTANCE, model);
    JsonNode s = stored.metadata().summary();
    assertEquals(4, s.get("validationElboHistory").size());
    assertEquals(java.util.Set.of("pattern 0", "pattern 1", "pattern 2"),
        new java.util.HashSet<>(List.of(stored.plotSample().labels())));
    assertEquals(600, s.get("rows").asLong());
    double elbo = s.get("validationElbo").asDouble();
    double logLik = s.get("validationLogLikelihood").asDouble();
    // 8 fair coins would score 8 log 2 = -5.55 nats; three noisy patterns far less.
    assertTrue(elbo > -5.0, "validation ELBO " + elbo);
    assertTrue(logLik >= elbo - 0.3, "IWAE " + logLik + " below the ELBO " + elbo);
    VaeModel vae = stored.model().latentModel();
    double[] x = {1, 1, 1, 0, 0, 0, 0, 0};
    double rowElbo = Elbo.estimate(vae, x, 2000, new Random(1)).elbo();
    double rowIwae = ImportanceSampler.estimate(vae, x, 2000, ImportanceSampler.Proposal.POSTERIOR,
        new Random(1), 500).logLikelihood();
    assertTrue(rowIwae >= rowElbo - 0.02, "IWAE " + rowIwae + " vs ELBO " + rowElbo);
  }

  @Test
  void encodeAndScoreAgreeWithTheEstimatorsOnTheLoadedModel() throws Exception {
    String model = dir.resolve("vae-score").toString();
    assertEquals(0, Cli.run("vae", "fit", "--input", data, "--latent-dim", "2", "--encoder", "16",
        "--decoder", "16", "--epochs", "2", "--batch-size-per-worker", "16",
        "--validation-fraction", "0", "--output", model).exitCode());
    String encoded = dir.resolve("encoded").toString();
    Cli e = Cli.run("vae", "encode", "--model", model, "--input", data, "--output", encoded);
    assertEquals(0, e.exitCode(), e.err());
    String scored = dir.resolve("scored").toString();
    Cli s = Cli.run("vae", "score", "--model", model, "--input", data, "--output", scored,
        "--importance-samples", "500");
    assertEquals(0, s.exitCode(), s.err());
    String naive = dir.resolve("scored-prior").toString();
    assertEquals(0, Cli.run("vae", "score", "--model", model, "--input", data, "--output", naive,
        "--importance-samples", "500", "--proposal", "prior").exitCode());

    VaeModel vae = ModelStore.load(spark, VaeKind.INSTANCE, model).model().latentModel();
    List<Row> codes = spark.read().parquet(encoded).limit(20).collectAsList();
    for (Row r : codes) {
      double[] x = ((org.apache.spark.ml.linalg.Vector) r.getAs("features")).toArray();
      assertArrayEquals(vae.encode(x).mean(),
          ((org.apache.spark.ml.linalg.Vector) r.getAs("zMean")).toArray(), 1e-5);
    }
    var table = spark.read().parquet(scored);
    assertEquals(600, table.count());
    Row means = table.selectExpr("avg(elbo)", "avg(reconstruction - kl - elbo)",
        "avg(logLikelihood - elbo)").first();
    assertEquals(0.0, means.getDouble(1), 1e-9, "elbo = reconstruction - kl");
    assertTrue(means.getDouble(2) > -0.05, "IWAE below the ELBO on average: " + means.getDouble(2));
    String samples = dir.resolve("samples").toString();
    Cli g = Cli.run("vae", "sample", "--model", model, "--n", "50", "--image-shape", "2x4",
        "--output", samples);
    assertEquals(0, g.exitCode(), g.err());
    var drawn = spark.read().parquet(samples + "/samples.parquet");
    assertEquals(50, drawn.count());
    var png = javax.imageio.ImageIO.read(Path.of(samples, "samples.png").toFile());
    assertEquals(10 * 5 + 1, png.getWidth());
    assertEquals(5 * 3 + 1, png.getHeight());
    assertEquals(2, Cli.run("vae", "sample", "--model", model, "--n", "5", "--image-shape", "3x3",
        "--output", dir.resolve("bad-shape").toString()).exitCode());
    double posterior = table.selectExpr("avg(logLikelihood)").first().getDouble(0);
    double prior = spark.read().parquet(naive).selectExpr("avg(logLikelihood)").first().getDouble(0);
    assertTrue(prior <= posterior + 0.05, "prior proposal " + prior + " vs posterior " + posterior);
  }

  /**
   * The anomaly threshold is a quantile of held-out log-likelihoods: on fresh rows from the same
   * (probabilistic PCA) distribution about that fraction is flagged, and rows far off its plane are.
   */
  @Test
  void anomalyQuantileFlagsThatShareOfFreshRows() throws Exception {
    ProbabilisticPca truth = new ProbabilisticPca(new double[] {1, 0, 0, 1, 1, 1, 1, -1},
        new double[4], 2, 0.05);
    Random random = new Random(17);
    String train = dir.resolve("ppca-train.parquet").toString();
    SparkTests.ppca(truth, 1500, random, 0.0).write().parquet(train);
    String model = dir.resolve("vae-anomaly").toString();
    Cli fit = Cli.run("vae", "fit", "--input", train, "--likelihood", "gaussian", "--latent-dim",
        "2", "--encoder", "16", "--decoder", "16", "--epochs", "15", "--batch-size-per-worker",
        "32", "--learning-rate", "1e-2", "--validation-fraction", "0.3", "--output", model);
    assertEquals(0, fit.exitCode(), fit.err());
    JsonNode quantiles = ModelStore.load(spark, VaeKind.INSTANCE, model).metadata().summary()
        .get("logLikelihoodQuantiles");
    assertEquals("validation", quantiles.get("rowsFrom").asText());

    String fresh = dir.resolve("ppca-fresh.parquet").toString();
    SparkTests.ppca(truth, 1000, random, 0.0).union(SparkTests.ppca(truth, 20, random, 3.0))
        .write().parquet(fresh);
    String scored = dir.resolve("ppca-scored").toString();
    Cli r = Cli.run("vae", "score", "--model", model, "--input", fresh, "--output", scored,
        "--importance-samples", "100", "--anomaly-quantile", "0.1");
    assertEquals(0, r.exitCode(), r.err());
    double threshold = new ObjectMapper().readTree(r.lastLine()).get("anomalyThreshold").asDouble();
    var rows = spark.read().parquet(scored);
    long flagged = rows.where("anomaly AND offset = 0").count();
    // 10% of 1000 rows, binomial sd 9.5, plus the error of a quantile from ~450 held-out rows.
    assertTrue(flagged > 50 && flagged < 150, flagged + " of 1000 fresh rows flagged");
    assertEquals(20, rows.where("anomaly AND offset > 0").count());
    assertEquals(0, rows.where("anomaly <> (logLikelihood < " + threshold + ")").count());
    assertEquals(2, Cli.run("vae", "score", "--model", model, "--input", fresh, "--output",
        dir.resolve("ppca-bad-q").toString(), "--anomaly-quantile", "1.5").exitCode());
  }

  @Test
  void bernoulliRejectsValuesOutsideTheUnitInterval() throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(RowFactory.create(Vectors.dense(i == 13 ? new double[] {0, 1.5} : new double[] {0, 1})));
    }
    String bad = dir.resolve("outside.parquet").toString();
    spark.createDataFrame(rows, new StructType().add("features", SQLDataTypes.VectorType(), false))
        .coalesce(1).write().parquet(bad);
    String out = dir.resolve("bad-vae").toString();
    Cli r = Cli.run("vae", "fit", "--input", bad, "--latent-dim", "1", "--encoder", "4",
        "--decoder", "4", "--epochs", "1", "--output", out);
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("row 13") && r.err().contains("1.5")
        && r.err().contains("[0, 1]"), r.err());
    assertFalse(Files.exists(Path.of(out)));
  }

  @Test
  void corruptNetworkIsNamed() throws Exception {
    String model = dir.resolve("vae-corrupt").toString();
    Cli r = Cli.run("vae", "fit", "--input", data, "--latent-dim", "1", "--encoder", "4",
        "--decoder", "4", "--epochs", "1", "--validation-fraction", "0", "--output", model);
    assertEquals(0, r.exitCode(), r.err());
    Files.writeString(Path.of(model, "network.zip"), "not a zip");
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> ModelStore.load(spark, VaeKind.INSTANCE, model));
    assertTrue(e.getMessage().contains("network.zip"), e.getMessage());
  }
}
