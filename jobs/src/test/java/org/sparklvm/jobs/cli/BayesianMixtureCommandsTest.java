package org.sparklvm.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.gmm.VariationalPosterior;
import org.sparklvm.core.gmm.WeightPrior;
import org.sparklvm.core.model.MixtureSummary;
import org.sparklvm.jobs.SparkTests;
import org.sparklvm.jobs.gmm.MixtureKind;
import org.sparklvm.jobs.gmm.VariationalMixtureFitJob;
import org.sparklvm.jobs.store.ModelStore;

/**
 * {@code gmm fit --prior} through the real command line: a Dirichlet process mixture truncated at
 * 20 components finds the 4 planted ones, and its model directory scores, samples, plots and flags
 * anomalies as an EM fit's does.
 */
class BayesianMixtureCommandsTest {

  static final GaussianMixtureModel PLANTED = SparkTests.plantedFour();
  static final int ROWS = 4000;

  @TempDir static Path dir;
  static SparkSession spark;
  static String data;
  static String model;
  static JsonNode fitResult;

  @BeforeAll
  static void fit() throws Exception {
    spark = SparkTests.spark();
    data = dir.resolve("train.parquet").toString();
    SparkTests.columns(PLANTED, ROWS, 11).write().parquet(data);
    model = dir.resolve("model").toString();
    // The bound per row creeps up by ~1e-4 per iteration while a duplicate component empties,
    // so the tolerance is tighter than EM's default; the best bound of 4 starts is kept.
    Cli r = Cli.run("gmm", "fit", "--input", data, "--feature-cols", "x0,x1,x2", "--k", "20",
        "--prior", "dirichlet-process", "--tol", "1e-5", "--max-iter", "1000", "--n-init", "4",
        "--output", model);
    assertEquals(0, r.exitCode(), r.err());
    fitResult = new ObjectMapper().readTree(r.lastLine());
  }

  /** The planted four, and nothing else, carry weight: their weights and means are the planted. */
  @Test
  void findsThePlantedFourComponentsOfTwenty() {
    assertEquals("dirichlet-process", fitResult.get("prior").asText());
    assertEquals(4, fitResult.get("effectiveComponents").asInt(), fitResult.toString());
    GaussianMixtureModel m = ModelStore.load(spark, MixtureKind.INSTANCE, model).model();
    assertEquals(20, m.k());
    List<Integer> heavy = new ArrayList<>();
    for (int c = 0; c < m.k(); c++) {
      if (m.weights()[c] > VariationalMixtureFitJob.EFFECTIVE_THRESHOLD) {
        heavy.add(c);
      }
    }
    assertEquals(4, heavy.size());
    for (int p = 0; p < 4; p++) {
      double[] truth = PLANTED.mean(p);
      int nearest = heavy.stream().min((a, b) -> Double.compare(distance(m.mean(a), truth),
          distance(m.mean(b), truth))).orElseThrow();
      // Means of ~400 or more rows of unit-scale spread: standard errors below 0.07.
      assertArrayEquals(truth, m.mean(nearest), 0.25, "component near planted " + p);
      // Binomial standard error of a weight from 4000 rows: below 0.008.
      assertEquals(PLANTED.weights()[p], m.weights()[nearest], 0.03, "weight of planted " + p);
    }
  }

  /**
   * The summary holds the bound, its history (non-decreasing, as coordinate ascent on the bound
   * is), the effective components with their threshold and the training rows' mean log-likelihood
   * under the stored components; the params hold the prior's scikit-learn defaults, computed here
   * from the rows.
   */
  @Test
  void metadataHoldsThePriorTheBoundAndTheScoringDensity() {
    var stored = ModelStore.load(spark, MixtureKind.INSTANCE, model);
    MixtureSummary s = stored.summary();
    List<Double> history = s.lowerBoundHistory();
    assertEquals(s.iterations(), history.size());
    assertEquals(history.get(history.size() - 1), s.lowerBound());
    for (int i = 1; i < history.size(); i++) {
      assertTrue(history.get(i) >= history.get(i - 1) - 1e-9 * Math.abs(history.get(i)),
          "bound fell at iteration " + (i + 1) + ": " + history.subList(i - 1, i + 1));
    }
    assertEquals(0.01, s.effectiveThreshold());
    assertEquals(4, s.effectiveComponents());
    assertEquals(ROWS, s.rows());
    JsonNode params = stored.metadata().params();
    assertEquals("expected parameters", params.get("scoringDensity").asText());
    JsonNode prior = params.get("prior");
    assertEquals("dirichlet-process", prior.get("weightPrior").asText());
    assertEquals(1.0 / 20, prior.get("weightConcentration").asDouble(), 1e-15);
    assertEquals(1.0, prior.get("meanPrecision").asDouble());
    assertEquals(3.0, prior.get("degreesOfFreedom").asDouble());
    // np.mean(X, 0) and np.cov(X.T) of the training rows, computed here directly.
    List<Row> rows = spark.read().parquet(data).select("x0", "x1", "x2").collectAsList();
    double[] mean = new double[3];
    for (Row r : rows) {
      for (int j = 0; j < 3; j++) {
        mean[j] += r.getDouble(j) / rows.size();
      }
    }
    double[] cov = new double[9];
    for (Row r : rows) {
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          cov[i * 3 + j] += (r.getDouble(i) - mean[i]) * (r.getDouble(j) - mean[j])
              / (rows.size() - 1);
        }
      }
    }
    assertArrayEquals(mean, numbers(prior.get("meanPrior")), 1e-9);
    assertArrayEquals(cov, numbers(prior.get("covariancePrior")), 1e-9);
  }

  /**
   * Scoring uses the stored components, the posterior's expected parameters: {@code gmm score}'s
   * mean log p(x) of the training rows is the summary's, and the anomaly flag marks the asked
   * quantile of them.
   */
  @Test
  void scoresWithTheExpectedParametersAndFlagsAnomalies() {
    String out = dir.resolve("scored").toString();
    Cli r = Cli.run("gmm", "score", "--model", model, "--input", data, "--output", out,
        "--anomaly-quantile", "0.05");
    assertEquals(0, r.exitCode(), r.err());
    Dataset<Row> scored = spark.read().parquet(out);
    double meanLogLikelihood = scored.selectExpr("avg(logLikelihood)").first().getDouble(0);
    var stored = MixtureKind.load(spark, model);
    assertEquals(stored.summary().meanLogLikelihood(), meanLogLikelihood, 1e-9);
    VariationalPosterior posterior = ((MixtureKind) stored.kind()).posterior();
    GaussianMixtureModel expected = posterior.expectedMixture();
    for (Row row : scored.limit(50).collectAsList()) {
      double[] x = {row.getDouble(0), row.getDouble(1), row.getDouble(2)};
      assertEquals(expected.logDensity(x), row.getDouble(row.fieldIndex("logLikelihood")), 1e-9);
    }
    // 5% of 4000 rows, binomial standard error ~14.
    assertEquals(200, scored.filter("anomaly").count(), 45);
  }

  /** Samples of the model, and its pictures, as for an EM fit. */
  @Test
  void samplesAndPlots() {
    String out = dir.resolve("samples").toString();
    Cli r = Cli.run("gmm", "sample", "--model", model, "--n", "20000", "--seed", "2", "--output",
        out);
    assertEquals(0, r.exitCode(), r.err());
    Row means = spark.read().parquet(out).selectExpr("avg(x0)", "avg(x1)", "avg(x2)").first();
    // Planted mixture mean (2.4, 1.6, 0.8); marginal standard deviations below 4.
    assertArrayEquals(new double[] {2.4, 1.6, 0.8},
        new double[] {means.getDouble(0), means.getDouble(1), means.getDouble(2)}, 0.15);
    Cli plot = Cli.run("plot", "--model", model);
    assertEquals(0, plot.exitCode(), plot.err());
    for (String png : List.of("clusters.png", "log-density.png")) {
      assertTrue(Files.exists(Path.of(model, "plots", png)), png);
    }
  }

  /**
   * The posterior is stored beside the components, kept by a Spark ML load and save, and a loader
   * refuses a directory whose posterior disagrees with its components.
   */
  @Test
  void posteriorRoundTripsAndIsChecked() throws Exception {
    var ml = org.sparklvm.ml.GaussianMixtureModel.load(model);
    VariationalPosterior posterior = ml.posterior();
    assertNotNull(posterior);
    assertEquals(WeightPrior.DIRICHLET_PROCESS, posterior.prior().weightPrior());
    assertEquals(4, ml.effectiveComponents());
    assertEquals(4, posterior.effectiveComponents(0.01));
    String copy = dir.resolve("ml-copy").toString();
    ml.write().save(copy);
    VariationalPosterior again = org.sparklvm.ml.GaussianMixtureModel.load(copy).posterior();
    assertArrayEquals(posterior.meanPrecision(), again.meanPrecision(), 0.0);
    assertArrayEquals(posterior.degreesOfFreedom(), again.degreesOfFreedom(), 0.0);
    for (int r = 0; r < 2; r++) {
      assertArrayEquals(posterior.weightConcentration()[r], again.weightConcentration()[r], 0.0);
    }
    // Components of another model under this posterior: refused, naming the posterior table.
    String forged = dir.resolve("forged").toString();
    copyTree(Path.of(copy), Path.of(forged));
    String other = dir.resolve("other").toString();
    Cli r = Cli.run("gmm", "fit", "--input", data, "--feature-cols", "x0,x1,x2", "--k", "20",
        "--max-iter", "2", "--output", other);
    assertEquals(0, r.exitCode(), r.err());
    deleteTree(Path.of(forged, "components"));
    copyTree(Path.of(other, "components"), Path.of(forged, "components"));
    Cli score = Cli.run("gmm", "score", "--model", forged, "--input", data, "--output",
        dir.resolve("forged-scores").toString());
    assertEquals(2, score.exitCode(), score.err());
    assertTrue(score.err().contains("posterior") && score.err().contains("disagree"), score.err());
    // An EM fit has no posterior and no bound.
    var em = org.sparklvm.ml.GaussianMixtureModel.load(other);
    assertNull(em.posterior());
    assertNull(em.lowerBound());
  }

  private static double distance(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += (a[j] - b[j]) * (a[j] - b[j]);
    }
    return Math.sqrt(s);
  }

  private static double[] numbers(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (var paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  private static void deleteTree(Path p) throws Exception {
    try (var paths = Files.walk(p)) {
      for (Path q : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(q);
      }
    }
  }
}
