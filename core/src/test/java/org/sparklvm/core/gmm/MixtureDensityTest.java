package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.linalg.Cholesky;

class MixtureDensityTest {

  /** {@code log pi + log N(x | mu, Sigma)} row by row, with an explicit Cholesky solve. */
  private static double direct(GaussianMixtureModel m, int c, double[] x) {
    int d = m.dim();
    Cholesky f = Cholesky.of(m.covariance(c), d).orElseThrow();
    double[] l = f.lower();
    double[] mu = m.mean(c);
    double[] z = new double[d];
    double maha = 0;
    for (int i = 0; i < d; i++) {
      double s = x[i] - mu[i];
      for (int p = 0; p < i; p++) {
        s -= l[i * d + p] * z[p];
      }
      z[i] = s / l[i * d + i];
      maha += z[i] * z[i];
    }
    return Math.log(m.weights()[c]) - 0.5 * (d * Math.log(2 * Math.PI) + f.logDeterminant() + maha);
  }

  /**
   * Skipped pairs are exactly those whose log-density lies more than 40 nats below the row's best;
   * every other pair is exact, so log p(x) and the responsibilities are too.
   */
  @Test
  void prunedPairsAreOnlyThoseThatCannotMatter() {
    Random random = new Random(12);
    int k = 8;
    int d = 12;
    double[] weights = new double[k];
    double[][] means = new double[k][d];
    double[][] covs = new double[k][];
    for (int c = 0; c < k; c++) {
      weights[c] = 1.0 / k;
      for (int j = 0; j < d; j++) {
        // Two pairs of components overlap; the rest are far apart.
        means[c][j] = (c % 4 == 0 ? 0.0 : 3.0 * c) + random.nextGaussian() * (c < 2 ? 0.3 : 1.0);
      }
      double[] a = new double[d * d];
      for (int i = 0; i < a.length; i++) {
        a[i] = random.nextGaussian();
      }
      double[] s = new double[d * d];
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          for (int p = 0; p < d; p++) {
            s[i * d + j] += a[i * d + p] * a[j * d + p] / d;
          }
        }
        s[i * d + i] += 0.3;
      }
      covs[c] = s;
    }
    GaussianMixtureModel m = new GaussianMixtureModel(CovarianceType.FULL, weights, means, covs);
    RowBlock rows = TestData.concat(TestData.draw(m, 3000, 3000, 4));
    double[] out = new double[rows.rows() * k];
    m.density().logJoint(rows, out, new MixtureDensity.Workspace());
    int skipped = 0;
    for (int r = 0; r < rows.rows(); r++) {
      double[] exact = new double[k];
      double best = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        exact[c] = direct(m, c, rows.row(r));
        best = Math.max(best, exact[c]);
      }
      for (int c = 0; c < k; c++) {
        double got = out[r * k + c];
        if (got == Double.NEGATIVE_INFINITY) {
          skipped++;
          assertTrue(exact[c] < best - MixtureDensity.PRUNE, "row " + r + " component " + c);
        } else {
          assertEquals(exact[c], got, 1e-9 * Math.abs(exact[c]));
        }
      }
    }
    assertTrue(skipped > rows.rows() * k / 2, "pruning should skip most pairs: " + skipped);
  }

  @Test
  void eigenvalueBoundIsAboveTheLargestEigenvalueAndClose() {
    // Eigenvalues of [[2, 1], [1, 2]] are 1 and 3.
    double bound = MixtureDensity.largestEigenvalueBound(new double[] {2, 1, 1, 2}, 2);
    assertTrue(bound >= 3.0 && bound < 3.0 * (1 + 1e-5), "bound " + bound);
    // Diagonal with equal top eigenvalues, where power iteration converges slowly.
    double[] diag = MaximizationStep.diagonal(new double[] {5, 5, 1, 5}, 4);
    double b = MixtureDensity.largestEigenvalueBound(diag, 4);
    assertTrue(b >= 5.0 && b < 5.0 * (1 + 1e-5), "bound " + b);
  }
}
