package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.sparklvm.core.data.RowBlock;

/**
 * The variational iteration against scikit-learn 1.2.1's {@code BayesianGaussianMixture}, from the same
 * one-hot starting responsibilities, iteration by iteration: on a planted 2-D table (with default and
 * with explicit priors), iris and wine, for every covariance type and both weight priors. The
 * reference values and how they were made: {@code src/test/resources/bayes/make_reference.py}.
 */
class BayesianMixtureSklearnTest {

  /** Relative agreement asked of every iteration's lower bound. */
  private static final double BOUND_TOLERANCE = 1e-6;
  /** Relative agreement asked of the final parameters. */
  private static final double PARAMETER_TOLERANCE = 1e-6;

  @TestFactory
  List<DynamicTest> everyIterationsLowerBoundMatchesScikitLearn() throws IOException {
    JsonNode reference = reference();
    int iterations = reference.get("iterations").asInt();
    double regCovar = reference.get("regCovar").asDouble();
    List<DynamicTest> tests = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> t = reference.get("tables").fields(); t.hasNext(); ) {
      Map.Entry<String, JsonNode> table = t.next();
      JsonNode entry = table.getValue();
      RowBlock x = rows(table.getKey(), entry);
      int k = entry.get("k").asInt();
      int[] labels = new ObjectMapper().convertValue(entry.get("labels"), int[].class);
      for (Iterator<Map.Entry<String, JsonNode>> r = entry.get("runs").fields(); r.hasNext(); ) {
        Map.Entry<String, JsonNode> run = r.next();
        String name = table.getKey() + " " + run.getKey();
        tests.add(DynamicTest.dynamicTest(name,
            () -> check(name, x, labels, k, run.getKey(), run.getValue(), iterations, regCovar)));
      }
    }
    return tests;
  }

  private static void check(String name, RowBlock x, int[] labels, int k, String key,
      JsonNode expected, int iterations, double regCovar) {
    String[] parts = key.split("/");
    CovarianceType type = CovarianceType.fromId(parts[0]);
    WeightPrior weightPrior = WeightPrior.fromId(parts[1]);
    JsonNode priors = expected.get("priors");
    MixturePrior prior = parts.length > 2
        ? MixturePrior.withDefaults(weightPrior, type, k, BayesTestData.mean(x),
            BayesTestData.covariance(x), priors.get("weightConcentration").asDouble(),
            priors.get("meanPrecision").asDouble(), doubles(priors.get("meanPrior")),
            priors.get("degreesOfFreedom").asDouble(), doubles(priors.get("covariancePrior")))
        : MixturePrior.withDefaults(weightPrior, type, k, BayesTestData.mean(x),
            BayesTestData.covariance(x), null, null, null, null, null);
    assertClose(priors.get("weightConcentration").asDouble(), prior.weightConcentration(), 1e-12,
        name + " default concentration");
    assertClose(priors.get("degreesOfFreedom").asDouble(), prior.degreesOfFreedom(), 1e-12,
        name + " default degrees of freedom");
    assertArrayClose(doubles(priors.get("meanPrior")), prior.meanPrior(), 1e-12,
        name + " default mean prior");
    assertArrayClose(doubles(priors.get("covariancePrior")), prior.covariancePrior(), 1e-12,
        name + " default covariance prior");

    EmSettings settings = new EmSettings(k, type, iterations, 0.0, regCovar,
        EmSettings.Initialization.KMEANS_PLUS_PLUS, 1, 0);
    VariationalFit fit = VariationalBayes.run(BayesTestData.labelStatistics(x, labels, k, type),
        TestData.pass(List.of(x)), prior, settings, (i, b, s) -> { });
    assertEquals(iterations, fit.iterations());
    JsonNode bounds = expected.get("lowerBounds");
    for (int i = 0; i < iterations; i++) {
      assertClose(bounds.get(i).asDouble(), fit.lowerBoundHistory().get(i) * fit.totalWeight(),
          BOUND_TOLERANCE, name + " lower bound at iteration " + (i + 1));
    }

    VariationalPosterior q = fit.posterior();
    assertArrayClose(doubles(expected.get("weights")), q.expectedWeights(), PARAMETER_TOLERANCE,
        name + " weights");
    JsonNode concentration = expected.get("weightConcentration");
    for (int row = 0; row < concentration.size(); row++) {
      assertArrayClose(doubles(concentration.get(row)), q.weightConcentration()[row],
          PARAMETER_TOLERANCE, name + " weight concentration");
    }
    assertArrayClose(doubles(expected.get("meanPrecision")), q.meanPrecision(),
        PARAMETER_TOLERANCE, name + " mean precision");
    int d = x.dim();
    for (int c = 0; c < k; c++) {
      assertArrayClose(doubles(expected.get("means").get(c)), q.means()[c], PARAMETER_TOLERANCE,
          name + " mean " + c);
      double dof = expected.get("degreesOfFreedom").get(type == CovarianceType.TIED ? 0 : c)
          .asDouble();
      assertClose(dof, q.degreesOfFreedom()[c], PARAMETER_TOLERANCE, name + " dof " + c);
      assertArrayClose(covariance(expected.get("covariances"), type, c, d), q.covariances()[c],
          PARAMETER_TOLERANCE, name + " covariance " + c);
    }
  }

  /** scikit-learn's {@code covariances_} of component {@code c} as a {@code d x d} matrix. */
  private static double[] covariance(JsonNode covariances, CovarianceType type, int c, int d) {
    double[] m = new double[d * d];
    switch (type) {
      case FULL -> fill(m, covariances.get(c));
      case TIED -> fill(m, covariances);
      case DIAG -> {
        for (int j = 0; j < d; j++) {
          m[j * d + j] = covariances.get(c).get(j).asDouble();
        }
      }
      case SPHERICAL -> {
        for (int j = 0; j < d; j++) {
          m[j * d + j] = covariances.get(c).asDouble();
        }
      }
    }
    return m;
  }

  private static void fill(double[] m, JsonNode matrix) {
    int d = matrix.size();
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        m[i * d + j] = matrix.get(i).get(j).asDouble();
      }
    }
  }

  private static RowBlock rows(String table, JsonNode entry) throws IOException {
    if (!entry.has("rows")) {
      return TestData.table(table);
    }
    JsonNode rows = entry.get("rows");
    int d = rows.get(0).size();
    double[] values = new double[rows.size() * d];
    for (int r = 0; r < rows.size(); r++) {
      for (int j = 0; j < d; j++) {
        values[r * d + j] = rows.get(r).get(j).asDouble();
      }
    }
    return new RowBlock(rows.size(), d, values, null);
  }

  static JsonNode reference() throws IOException {
    try (InputStream in =
        BayesianMixtureSklearnTest.class.getResourceAsStream("/bayes/reference.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  private static double[] doubles(JsonNode node) {
    return new ObjectMapper().convertValue(node, double[].class);
  }

  /** {@code |expected - actual| <= tol max(|expected|, 1e-300)}. */
  static void assertClose(double expected, double actual, double tol, String what) {
    assertEquals(expected, actual, tol * Math.max(Math.abs(expected), 1e-300), what);
  }

  /** Every entry within {@code tol} of the largest entry's magnitude (near-zero entries compared so). */
  static void assertArrayClose(double[] expected, double[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + " length");
    double scale = 0.0;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol * scale, what + " entry " + i);
    }
  }
}
