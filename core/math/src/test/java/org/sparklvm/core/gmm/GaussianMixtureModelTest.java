package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.data.RowBlock;

class GaussianMixtureModelTest {

  /** log N(x | mu, Sigma) in two dimensions with the explicit inverse and determinant. */
  private static double logNormal2(double[] x, double[] mu, double[] s) {
    double det = s[0] * s[3] - s[1] * s[2];
    double a = x[0] - mu[0];
    double b = x[1] - mu[1];
    double q = (s[3] * a * a - 2 * s[1] * a * b + s[0] * b * b) / det;
    return -Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * q;
  }

  @Test
  void logDensityMatchesTheClosedFormForEveryCovarianceType() {
    double[][] means = {{0.5, -1}, {2, 3}};
    double[] weights = {0.3, 0.7};
    for (CovarianceType type : CovarianceType.values()) {
      double[][] covs = switch (type) {
        case FULL -> new double[][] {{2, 0.3, 0.3, 1}, {0.5, -0.2, -0.2, 0.9}};
        case TIED -> new double[][] {{2, 0.3, 0.3, 1}, {2, 0.3, 0.3, 1}};
        case DIAG -> new double[][] {{2, 0, 0, 1}, {0.5, 0, 0, 0.9}};
        case SPHERICAL -> new double[][] {{2, 0, 0, 2}, {0.5, 0, 0, 0.5}};
      };
      GaussianMixtureModel m = new GaussianMixtureModel(type, weights, means, covs);
      Random r = new Random(3);
      for (int i = 0; i < 20; i++) {
        double[] x = {3 * r.nextGaussian(), 3 * r.nextGaussian()};
        double p0 = weights[0] * Math.exp(logNormal2(x, means[0], covs[0]));
        double p1 = weights[1] * Math.exp(logNormal2(x, means[1], covs[1]));
        assertEquals(Math.log(p0 + p1), m.logDensity(x), 1e-10, type + " at " + Arrays.toString(x));
        double[] resp = m.responsibilities(x);
        assertEquals(p0 / (p0 + p1), resp[0], 1e-10);
        assertEquals(p1 / (p0 + p1), resp[1], 1e-10);
      }
    }
  }

  @Test
  void logSpaceStaysFiniteWherePdfsUnderflow() {
    int d = 200;
    double[][] means = {new double[d], new double[d]};
    Arrays.fill(means[1], 1.0);
    double[] cov = MaximizationStep.diagonal(filled(d, 0.25), d);
    GaussianMixtureModel m = new GaussianMixtureModel(CovarianceType.FULL, new double[] {0.5, 0.5},
        means, new double[][] {cov, cov});
    double[] x = filled(d, 3.0);
    // Each pdf is exp(-3600 - ...) = 0 in doubles; the log-density is exact in log space.
    double log0 = -0.5 * d * Math.log(2 * Math.PI * 0.25) - 0.5 * d * 9.0 / 0.25;
    double log1 = -0.5 * d * Math.log(2 * Math.PI * 0.25) - 0.5 * d * 4.0 / 0.25;
    double expected = Math.log(0.5) + log1 + Math.log1p(Math.exp(log0 - log1));
    assertEquals(expected, m.logDensity(x), 1e-9 * Math.abs(expected));
    assertEquals(1.0, m.responsibilities(x)[1], 1e-12);
  }

  @Test
  void samplesHaveThePlantedMomentsAndWeights() {
    GaussianMixtureModel m = TestData.planted(CovarianceType.FULL);
    RowBlock rows = TestData.concat(TestData.draw(m, 200_000, 4096, 11));
    int[] counts = new int[3];
    double[] resp = new double[rows.rows() * 3];
    m.evaluate(rows, new double[rows.rows()], resp);
    for (int r = 0; r < rows.rows(); r++) {
      int best = 0;
      for (int c = 1; c < 3; c++) {
        best = resp[r * 3 + c] > resp[r * 3 + best] ? c : best;
      }
      counts[best]++;
    }
    double[] w = m.weights();
    for (int c = 0; c < 3; c++) {
      // Binomial standard error at n = 200000 is about 0.001.
      assertEquals(w[c], counts[c] / 200_000.0, 0.006);
    }
  }

  @Test
  void constructorNamesTheBadComponent() {
    double[][] means = {{0, 0}, {1, 1}};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new GaussianMixtureModel(CovarianceType.FULL, new double[] {0.5, 0.5}, means,
            new double[][] {{1, 0, 0, 1}, {1, 2, 2, 1}}));
    assertTrue(e.getMessage().contains("component 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new GaussianMixtureModel(CovarianceType.FULL, new double[] {0.5, 0.6}, means,
            new double[][] {{1, 0, 0, 1}, {1, 0, 0, 1}}));
    assertTrue(e.getMessage().contains("sum to"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new GaussianMixtureModel(
        CovarianceType.FULL, new double[] {1.0}, new double[][] {{0, 0}},
        new double[][] {{1, 0, 0, 1}}).evaluate(new RowBlock(1, 3, new double[3], null),
        new double[1], null));
  }

  @Test
  void freeParametersFollowScikitLearnsCount() {
    // scikit-learn's _n_parameters for k = 3, d = 4: full 44, diag 26, tied 24, spherical 17.
    assertEquals(List.of(44L, 26L, 24L, 17L), Arrays.stream(CovarianceType.values())
        .map(t -> t.freeParameters(3, 4)).toList());
  }

  static double[] filled(int n, double v) {
    double[] a = new double[n];
    Arrays.fill(a, v);
    return a;
  }
}
