package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.data.RowBlock;
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
      // Every third component is elongated, as two merged clusters are.
      double[] u = new double[d];
      for (int j = 0; j < d; j++) {
        u[j] = c % 3 == 0 ? random.nextGaussian() : 0.0;
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
        for (int j = 0; j < d; j++) {
          s[i * d + j] += 20.0 * u[i] * u[j];
        }
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

  /** {@code q^T Sigma^-1 q} by an explicit Cholesky solve. */
  private static double mahalanobis(double[] sigma, int d, double[] q) {
    double[] l = Cholesky.of(sigma, d).orElseThrow().lower();
    double[] z = new double[d];
    double s = 0;
    for (int i = 0; i < d; i++) {
      double t = q[i];
      for (int p = 0; p < i; p++) {
        t -= l[i * d + p] * z[p];
      }
      z[i] = t / l[i * d + i];
      s += z[i] * z[i];
    }
    return s;
  }

  private static double boundOf(SpectralBound b, double[] q) {
    double norm = 0;
    for (double x : q) {
      norm += x * x;
    }
    double m = norm * b.inverseB();
    for (int i = 0; i < b.directions().length; i++) {
      double t = 0;
      for (int j = 0; j < q.length; j++) {
        t += b.directions()[i][j] * q[j];
      }
      m += b.coefficients()[i] * t * t;
    }
    return m;
  }

  /**
   * The spectral bound never exceeds the Mahalanobis distance, and stays close to it for an elongated
   * covariance (two clusters merged into one), where the largest eigenvalue alone bounds nothing.
   */
  @Test
  void spectralBoundIsALowerBoundAndTightForElongatedCovariances() {
    Random random = new Random(5);
    int d = 10;
    for (int trial = 0; trial < 50; trial++) {
      double[] sigma = new double[d * d];
      double[] u = new double[d];
      for (int j = 0; j < d; j++) {
        u[j] = random.nextGaussian();
      }
      double stretch = trial % 2 == 0 ? 0.0 : 100.0;
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          sigma[i * d + j] = stretch * u[i] * u[j] / d + (i == j ? 1.0 + 0.1 * i : 0.0);
        }
      }
      SpectralBound b = SpectralBound.of(sigma, d);
      if (stretch > 0) {
        assertEquals(1, b.directions().length, "one long direction");
      }
      double worst = Double.POSITIVE_INFINITY;
      for (int k = 0; k < 200; k++) {
        double[] q = new double[d];
        for (int j = 0; j < d; j++) {
          q[j] = 3 * random.nextGaussian();
        }
        double exact = mahalanobis(sigma, d, q);
        double bound = boundOf(b, q);
        assertTrue(bound <= exact * (1 + 1e-12), "bound " + bound + " above " + exact);
        worst = Math.min(worst, bound / exact);
      }
      // The covariance's eigenvalues (besides the long one) lie in [1, 1.9].
      assertTrue(worst > 1 / 2.5, "bound too loose: ratio " + worst);
    }
  }
}
