package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.data.RowBlock;

/**
 * EM from a fixed starting mixture against scikit-learn's {@code GaussianMixture}, iteration by
 * iteration, on iris: see {@code src/test/resources/sklearn/make_reference.py} for how the reference
 * values were made.
 */
class ScikitLearnReferenceTest {

  @Test
  void everyIterationMatchesScikitLearn() throws IOException {
    JsonNode trace = reference().get("trace");
    RowBlock iris = TestData.table("iris");
    int d = iris.dim();
    int[] startRows = new ObjectMapper().convertValue(trace.get("startRows"), int[].class);
    int k = startRows.length;
    int iterations = trace.get("iterations").asInt();
    double[] global = biasedCovariance(iris);
    for (CovarianceType type : CovarianceType.values()) {
      double[][] means = new double[k][];
      double[][] covs = new double[k][];
      double[] weights = new double[k];
      for (int c = 0; c < k; c++) {
        means[c] = iris.row(startRows[c]);
        weights[c] = 1.0 / k;
        covs[c] = shaped(global, type, d);
      }
      GaussianMixtureModel start = new GaussianMixtureModel(type, weights, means, covs);
      EmSettings s = new EmSettings(k, type, iterations, 0, trace.get("regCovar").asDouble(),
          EmSettings.Initialization.KMEANS_PLUS_PLUS, 1, 0);
      FitResult fit = ExpectationMaximization.run(start, TestData.pass(List.of(iris)), s,
          (i, l, t) -> { });
      JsonNode steps = trace.get("types").get(type.id());
      for (int it = 1; it <= iterations; it++) {
        JsonNode step = steps.get(it - 1);
        assertEquals(step.get("meanLogLikelihood").asDouble(), fit.logLikelihoodHistory().get(it),
            1e-8, type + " iteration " + it);
      }
      JsonNode last = steps.get(iterations - 1);
      for (int c = 0; c < k; c++) {
        assertEquals(last.get("weights").get(c).asDouble(), fit.model().weights()[c], 1e-7);
        for (int j = 0; j < d; j++) {
          assertEquals(last.get("means").get(c).get(j).asDouble(), fit.model().mean(c)[j], 1e-7,
              type + " mean " + c);
        }
      }
    }
  }

  static JsonNode reference() throws IOException {
    try (InputStream in = ScikitLearnReferenceTest.class.getResourceAsStream(
        "/sklearn/reference.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  /** The covariance families' view of one full matrix, as make_reference.py's precisions_init. */
  private static double[] shaped(double[] full, CovarianceType type, int d) {
    if (type == CovarianceType.FULL || type == CovarianceType.TIED) {
      return full.clone();
    }
    double[] v = new double[d];
    double mean = 0;
    for (int j = 0; j < d; j++) {
      v[j] = full[j * d + j];
      mean += v[j] / d;
    }
    if (type == CovarianceType.SPHERICAL) {
      java.util.Arrays.fill(v, mean);
    }
    return MaximizationStep.diagonal(v, d);
  }

  private static double[] biasedCovariance(RowBlock b) {
    int d = b.dim();
    double[] mu = new double[d];
    for (int r = 0; r < b.rows(); r++) {
      for (int j = 0; j < d; j++) {
        mu[j] += b.values()[r * d + j] / b.rows();
      }
    }
    double[] cov = new double[d * d];
    for (int r = 0; r < b.rows(); r++) {
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          cov[i * d + j] += (b.values()[r * d + i] - mu[i]) * (b.values()[r * d + j] - mu[j])
              / b.rows();
        }
      }
    }
    return cov;
  }
}
