package org.sparklvm.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.jobs.SparkTests;
import org.sparklvm.jobs.gmm.MixtureKind;
import org.sparklvm.jobs.store.ModelStore;

/**
 * {@code gmm fit --init-model}: EM from a stored mixture, through the real command line. Two days of
 * the planted mixture, the second with every mean moved by 0.5 in each coordinate; the references
 * are cold fits of the same rows and the exact mean log p(x) of the rows under the mixture that made
 * them.
 */
class WarmStartTest {

  private static final int ROWS = 40_000;

  @TempDir static Path dir;
  static SparkSession spark;
  static String day1;
  static String day2;
  static String model1;
  static JsonNode cold1;
  static double truth2;

  @BeforeAll
  static void coldFitOfTheFirstDay() throws Exception {
    spark = SparkTests.spark();
    day1 = dir.resolve("day1.parquet").toString();
    day2 = dir.resolve("day2.parquet").toString();
    SparkTests.columns(SparkTests.planted(), ROWS, 31).write().parquet(day1);
    GaussianMixtureModel moved = shifted(SparkTests.planted(), 0.5);
    SparkTests.columns(moved, ROWS, 32).write().parquet(day2);
    truth2 = meanLogDensity(moved, day2);
    model1 = dir.resolve("model1").toString();
    cold1 = fit("--input", day1, "--feature-cols", "x0,x1,x2", "--k", "3", "--output", model1);
    assertEquals("cold", cold1.get("start").asText());
  }

  /** From the model EM itself converged to, on the same rows: done at once, the same optimum. */
  @Test
  void fromItsOwnOptimumEmStopsAtOnce() throws Exception {
    String out = dir.resolve("again").toString();
    JsonNode warm = fit("--input", day1, "--init-model", model1, "--n-init", "3", "--output", out);
    System.out.printf("same day: cold %d iterations, mean log-likelihood %.9f; warm %d, %.9f%n",
        cold1.get("iterations").asInt(), cold1.get("meanLogLikelihood").asDouble(),
        warm.get("iterations").asInt(), warm.get("meanLogLikelihood").asDouble());
    assertEquals("warm", warm.get("start").asText());
    assertEquals(model1, warm.get("initModel").asText());
    assertTrue(warm.get("iterations").asInt() <= 2, warm.toString());
    assertTrue(warm.get("converged").asBoolean());
    // Within the tolerance (1e-3 per row) of the optimum it started from, and not below it.
    double gain = warm.get("meanLogLikelihood").asDouble()
        - cold1.get("meanLogLikelihood").asDouble();
    assertTrue(gain > -1e-9 && gain < 1e-3, "gain " + gain);
    // k, covariance type and columns came from the model; the model records where it started.
    var stored = ModelStore.load(spark, MixtureKind.INSTANCE, out);
    assertEquals(3, stored.model().k());
    assertEquals(List.of("x0", "x1", "x2"), stored.featureCols());
    assertEquals(model1, stored.metadata().params().get("initModel").asText());
    assertEquals(1, stored.metadata().params().get("nInit").asInt());
  }

  /**
   * The next day (every mean moved by 0.5): a warm start from the first day's model reaches the cold
   * fit's mean log-likelihood within 1e-3 per row, and both reach the exact mean log p(x) of the
   * mixture that made the rows. It does not take fewer full-data iterations than the cold fit: the
   * cold start is already the best of five short EM runs on a sample of the same day, which a
   * translated model is not (2 against 4 here to a tolerance of 1e-6, both within 1e-3 after one;
   * with the components at half the distance, 8 against 37). What a warm start saves is the
   * initialisation (the sample, k-means++ and the screening runs) and the restarts, and it keeps
   * the components in yesterday's order.
   */
  @Test
  void theNextDayWarmReachesTheColdOptimum() throws Exception {
    JsonNode cold = fit("--input", day2, "--feature-cols", "x0,x1,x2", "--k", "3", "--tol", "1e-6",
        "--output", dir.resolve("cold2").toString());
    String warmPath = dir.resolve("warm2").toString();
    JsonNode warm = fit("--input", day2, "--init-model", model1, "--tol", "1e-6",
        "--output", warmPath);
    double coldLl = cold.get("meanLogLikelihood").asDouble();
    double warmLl = warm.get("meanLogLikelihood").asDouble();
    List<Double> coldHistory = history(dir.resolve("cold2").toString());
    List<Double> warmHistory = history(warmPath);
    System.out.printf("next day (truth %.9f): cold %d iterations, %.9f, within 1e-3 after %d;"
        + " warm %d iterations, %.9f, within 1e-3 after %d%n", truth2,
        cold.get("iterations").asInt(), coldLl, firstWithin(coldHistory, coldLl, 1e-3),
        warm.get("iterations").asInt(), warmLl, firstWithin(warmHistory, coldLl, 1e-3));
    assertEquals("warm", warm.get("start").asText());
    assertTrue(warm.get("converged").asBoolean());
    assertEquals(coldLl, warmLl, 1e-3);
    assertTrue(firstWithin(warmHistory, coldLl, 1e-3) > 0, "warm started at the optimum?");
    // The maximum-likelihood fit is at least as likely as the truth, and not by much (about the
    // number of free parameters over twice the rows: 29 / 80,000).
    assertTrue(warmLl > truth2 - 1e-4 && warmLl < truth2 + 0.01, warmLl + " against " + truth2);
  }

  @Test
  void aMismatchedOrMissingInitialModelIsAUsageError() {
    String out = dir.resolve("refused").toString();
    assertRefused("--k 4 differs from the initial model's k = 3", "--input", day1,
        "--init-model", model1, "--k", "4", "--output", out);
    assertRefused("--covariance (covarianceType) diag differs from the initial model's covariance"
        + " type full", "--input", day1, "--init-model", model1, "--covariance", "diag",
        "--output", out);
    String vae = new File("src/test/resources/golden/vae-v1").getAbsolutePath();
    assertRefused("'spark-lvm/vae' model, expected 'spark-lvm/gmm'", "--input", day1,
        "--init-model", vae, "--output", out);
    assertRefused("has dimension 3 but the input's feature columns [x0, x1] are 2", "--input", day1,
        "--feature-cols", "x0,x1", "--init-model", model1, "--output", out);
    String absent = dir.resolve("no-such-model").toString();
    assertRefused("--init-model " + absent + " does not exist", "--input", day1,
        "--init-model", absent, "--output", out);
    assertRefused("Missing required option: '--k=<k>' (unless --init-model is given)",
        "--input", day1, "--output", out);
    assertRefused("mutually exclusive", "--input", day1, "--init-model", model1,
        "--init-model-if-exists", model1, "--output", out);
    // Only k's requirement moves: the same k as the model's is accepted, and dry runs check all.
    assertEquals(0, Cli.run("gmm", "fit", "--input", day1, "--init-model", model1, "--k", "3",
        "--covariance", "full", "--output", out, "--dry-run").exitCode());
    assertRefused("differs", "--input", day1, "--init-model", model1, "--k", "2",
        "--output", out, "--dry-run");
    assertTrue(!new File(out).exists());
  }

  /** The DAG's form: a cold start with --k when the path is absent, a warm one when present. */
  @Test
  void initModelIfExistsFallsBackToAColdStart() throws Exception {
    String absent = dir.resolve("not-yet").toString();
    JsonNode cold = fit("--input", day1, "--init-model-if-exists", absent, "--k", "3",
        "--output", dir.resolve("first").toString());
    assertEquals("cold", cold.get("start").asText());
    assertTrue(cold.get("initModel") == null);
    JsonNode warm = fit("--input", day1, "--init-model-if-exists", model1, "--k", "3",
        "--output", dir.resolve("second").toString());
    assertEquals("warm", warm.get("start").asText());
    assertEquals(model1, warm.get("initModel").asText());
    // Without --k the cold start it may fall back to could not run: refused before any work.
    assertRefused("Missing required option: '--k=<k>'", "--input", day1,
        "--init-model-if-exists", absent, "--output", dir.resolve("third").toString());
  }

  private static JsonNode fit(String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("gmm", "fit", "--seed", "5"));
    args.addAll(List.of(options));
    Cli r = Cli.run(args.toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.err());
    return new ObjectMapper().readTree(r.lastLine());
  }

  private static void assertRefused(String fragment, String... options) {
    List<String> args = new ArrayList<>(List.of("gmm", "fit"));
    args.addAll(List.of(options));
    Cli r = Cli.run(args.toArray(String[]::new));
    assertEquals(2, r.exitCode(), String.join(" ", args) + ": " + r.err());
    assertTrue(r.err().contains(fragment), "expected '" + fragment + "' in: " + r.err());
  }

  private static List<Double> history(String model) {
    List<Double> h = new ArrayList<>();
    ModelStore.load(spark, MixtureKind.INSTANCE, model).metadata().summary()
        .get("logLikelihoodHistory").forEach(n -> h.add(n.asDouble()));
    return h;
  }

  /** The first iteration (0: the start) whose mean log-likelihood is within {@code tol} of it. */
  private static int firstWithin(List<Double> history, double target, double tol) {
    for (int i = 0; i < history.size(); i++) {
      if (Math.abs(history.get(i) - target) < tol) {
        return i;
      }
    }
    return -1;
  }

  private static GaussianMixtureModel shifted(GaussianMixtureModel m, double by) {
    double[][] means = new double[m.k()][];
    double[][] covs = new double[m.k()][];
    for (int c = 0; c < m.k(); c++) {
      means[c] = m.mean(c).clone();
      for (int j = 0; j < means[c].length; j++) {
        means[c][j] += by;
      }
      covs[c] = m.covariance(c);
    }
    return new GaussianMixtureModel(m.covarianceType(), m.weights(), means, covs);
  }

  /** The exact mean log p(x) of a table's rows under {@code m}, row by row on the driver. */
  private static double meanLogDensity(GaussianMixtureModel m, String table) {
    List<Row> rows = spark.read().parquet(table).collectAsList();
    double sum = 0;
    for (Row r : rows) {
      sum += m.logDensity(new double[] {r.getDouble(0), r.getDouble(1), r.getDouble(2)});
    }
    return sum / rows.size();
  }
}
