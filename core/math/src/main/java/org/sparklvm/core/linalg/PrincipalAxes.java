package org.sparklvm.core.linalg;

import java.util.Arrays;
import java.util.Random;

/**
 * The leading principal axes of a sample of rows: the top {@code m} eigenvectors of its covariance,
 * found by subspace iteration (only a few are ever wanted, for 2-D pictures of d-dimensional data).
 *
 * @param center the sample mean
 * @param axes {@code m} orthonormal directions, by decreasing variance
 * @param variances the sample variance along each axis
 * @param totalVariance the trace of the sample covariance
 */
public record PrincipalAxes(double[] center, double[][] axes, double[] variances,
    double totalVariance) {

  /**
   * @param rows {@code n x d}, row-major
   * @throws IllegalArgumentException when there are fewer than 2 rows or {@code m} is not in [1, d]
   */
  public static PrincipalAxes of(double[] rows, int n, int d, int m) {
    if (n < 2 || m < 1 || m > d || rows.length != (long) n * d) {
      throw new IllegalArgumentException(
          "principal axes need 2 or more rows and 1 <= m <= d; got n=" + n + ", d=" + d + ", m=" + m);
    }
    double[] center = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        center[j] += rows[i * d + j] / n;
      }
    }
    double[] cov = new double[d * d];
    double[] x = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x[j] = rows[i * d + j] - center[j];
      }
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++) {
          cov[a * d + b] += x[a] * x[b] / (n - 1);
        }
      }
    }
    double trace = 0.0;
    for (int a = 0; a < d; a++) {
      trace += cov[a * d + a];
      for (int b = 0; b < a; b++) {
        cov[a * d + b] = cov[b * d + a];
      }
    }
    double[][] q = subspaceIteration(cov, d, m);
    double[] variances = new double[m];
    for (int k = 0; k < m; k++) {
      variances[k] = quadratic(cov, d, q[k]);
    }
    return new PrincipalAxes(center, q, variances, trace);
  }

  /** Coordinates of {@code x} along the axes. */
  public double[] project(double[] x) {
    double[] out = new double[axes.length];
    for (int k = 0; k < axes.length; k++) {
      for (int j = 0; j < x.length; j++) {
        out[k] += (x[j] - center[j]) * axes[k][j];
      }
    }
    return out;
  }

  /** {@code A S A^T} for a row-major {@code d x d} matrix {@code s}: its view along the axes. */
  public double[] projectCovariance(double[] s) {
    int m = axes.length;
    int d = center.length;
    double[] out = new double[m * m];
    for (int a = 0; a < m; a++) {
      for (int b = 0; b < m; b++) {
        double sum = 0.0;
        for (int i = 0; i < d; i++) {
          double row = 0.0;
          for (int j = 0; j < d; j++) {
            row += s[i * d + j] * axes[b][j];
          }
          sum += axes[a][i] * row;
        }
        out[a * m + b] = sum;
      }
    }
    return out;
  }

  /** Share of the total variance along axis {@code k}. */
  public double explained(int k) {
    return totalVariance > 0 ? variances[k] / totalVariance : 0.0;
  }

  // Q <- orth(C Q) until the subspace settles; a fixed seed keeps pictures reproducible.
  private static double[][] subspaceIteration(double[] c, int d, int m) {
    Random random = new Random(1);
    double[][] q = new double[m][d];
    for (double[] v : q) {
      for (int j = 0; j < d; j++) {
        v[j] = random.nextGaussian();
      }
    }
    orthonormalize(q);
    for (int it = 0; it < 500; it++) {
      double[][] z = new double[m][d];
      for (int k = 0; k < m; k++) {
        for (int a = 0; a < d; a++) {
          double s = 0.0;
          for (int b = 0; b < d; b++) {
            s += c[a * d + b] * q[k][b];
          }
          z[k][a] = s;
        }
      }
      orthonormalize(z);
      double change = 0.0;
      for (int k = 0; k < m; k++) {
        change = Math.max(change, 1.0 - Math.abs(dot(z[k], q[k])));
      }
      q = z;
      if (change < 1e-12) {
        break;
      }
    }
    // Gram-Schmidt keeps the first vector the most converged; order by variance anyway.
    Arrays.sort(q, (u, v) -> Double.compare(quadratic(c, d, v), quadratic(c, d, u)));
    return q;
  }

  /**
   * Gram-Schmidt, twice over (one pass leaves rounding noise along earlier vectors). A vector with
   * nothing left of its own (data with fewer directions of spread than asked for) is replaced by a
   * unit vector orthogonal to the others.
   */
  private static void orthonormalize(double[][] v) {
    int d = v[0].length;
    for (int k = 0; k < v.length; k++) {
      double before = Math.sqrt(dot(v[k], v[k]));
      subtractProjections(v, k);
      subtractProjections(v, k);
      double norm = Math.sqrt(dot(v[k], v[k]));
      if (!(norm > 1e-10 * before) || norm == 0.0) {
        for (int e = 0; e < d; e++) {
          Arrays.fill(v[k], 0.0);
          v[k][e] = 1.0;
          subtractProjections(v, k);
          subtractProjections(v, k);
          norm = Math.sqrt(dot(v[k], v[k]));
          if (norm > 0.5) {
            break;
          }
        }
      }
      for (int j = 0; j < d; j++) {
        v[k][j] /= norm;
      }
    }
  }

  private static void subtractProjections(double[][] v, int k) {
    for (int p = 0; p < k; p++) {
      double proj = dot(v[k], v[p]);
      for (int j = 0; j < v[k].length; j++) {
        v[k][j] -= proj * v[p][j];
      }
    }
  }

  private static double dot(double[] a, double[] b) {
    double s = 0.0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double quadratic(double[] c, int d, double[] v) {
    double s = 0.0;
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        s += v[a] * c[a * d + b] * v[b];
      }
    }
    return s;
  }
}
