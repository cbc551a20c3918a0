package org.sparklvm.core.gmm;

import org.sparklvm.core.linalg.Cholesky;

/**
 * A proven upper bound on a covariance, {@code Sigma <= M = b I + sum_i (a_i - b) v_i v_i^T} with
 * orthonormal {@code v_i} along its few dominant directions, so that for every {@code q}
 *
 * <pre>q^T Sigma^-1 q >= q^T M^-1 q = |q|^2 / b + sum_i (1/a_i - 1/b) (v_i^T q)^2.</pre>
 *
 * <p>That lower bound on the Mahalanobis distance is what lets the E-step skip components: with only
 * the largest eigenvalue ({@code M = b I}) an elongated component, two clusters merged into one say,
 * bounds nothing, while peeling off its long directions keeps the bound tight. Eigenpairs come from
 * power iteration with deflation (estimates); the bound is then proven by a Cholesky factorisation of
 * {@code M - Sigma} (backward stable, hence a small safety factor on top). When that fails, or the
 * matrix is too large to analyse, the bound falls back to {@code b} = the smaller of the Frobenius norm
 * and the Gershgorin row bound, with no directions.
 *
 * @param directions the {@code v_i}, each of length {@code d}
 * @param coefficients {@code 1/a_i - 1/b} (not positive), one per direction
 * @param inverseB {@code 1/b}
 */
record SpectralBound(double[][] directions, double[] coefficients, double inverseB) {

  /** Directions are peeled off while an eigenvalue is at least this many times the next one. */
  private static final double GAP = 2.0;
  private static final int MAX_DIRECTIONS = 2;
  private static final int MAX_DIM = 512;

  static SpectralBound of(double[] sigma, int d) {
    double coarse = coarseLargestEigenvalue(sigma, d);
    if (d > MAX_DIM) {
      return new SpectralBound(new double[0][], new double[0], 1.0 / coarse);
    }
    int wanted = Math.min(MAX_DIRECTIONS, d - 1);
    double[][] v = new double[wanted + 1][];
    double[] lambda = new double[wanted + 1];
    for (int i = 0; i <= wanted; i++) {
      v[i] = powerIteration(sigma, d, v, i);
      lambda[i] = rayleigh(sigma, d, v[i]);
    }
    int rank = 0;
    while (rank < wanted && lambda[rank] >= GAP * lambda[rank + 1]) {
      rank++;
    }
    for (double slack = 1e-6; slack < 1.0; slack *= 10.0) {
      double b = lambda[rank] * (1.0 + slack);
      if (b >= coarse) {
        break;
      }
      double[] a = new double[rank];
      for (int i = 0; i < rank; i++) {
        a[i] = lambda[i] * (1.0 + slack);
      }
      if (dominates(sigma, d, v, a, b)) {
        double[] coefficients = new double[rank];
        double[][] directions = new double[rank][];
        for (int i = 0; i < rank; i++) {
          coefficients[i] = 1.0 / a[i] - 1.0 / b;
          directions[i] = v[i];
        }
        // The margin covers the factorisation's backward error and the v_i's rounding.
        return new SpectralBound(directions, coefficients, 1.0 / (b * (1.0 + d * 1e-12)));
      }
    }
    return new SpectralBound(new double[0][], new double[0], 1.0 / coarse);
  }

  /** Whether {@code b I + sum (a_i - b) v_i v_i^T - Sigma} factors, i.e. is positive definite. */
  private static boolean dominates(double[] sigma, int d, double[][] v, double[] a, double b) {
    double[] m = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double s = i == j ? b : 0.0;
        for (int r = 0; r < a.length; r++) {
          s += (a[r] - b) * v[r][i] * v[r][j];
        }
        m[i * d + j] = s - sigma[i * d + j];
      }
    }
    return Cholesky.of(m, d).isPresent();
  }

  /** The smaller of the Frobenius norm and the largest absolute row sum: both bound lambda_max. */
  static double coarseLargestEigenvalue(double[] a, int d) {
    double frobenius = 0.0;
    double rows = 0.0;
    for (int i = 0; i < d; i++) {
      double s = 0.0;
      for (int j = 0; j < d; j++) {
        double x = a[i * d + j];
        frobenius += x * x;
        s += Math.abs(x);
      }
      rows = Math.max(rows, s);
    }
    return Math.min(Math.sqrt(frobenius), rows) * (1.0 + 1e-12);
  }

  /**
   * The dominant eigenvector of {@code a} orthogonal to {@code previous[0..count)}, by power iteration
   * from a fixed start (an estimate; only the Cholesky check makes anything of it a bound).
   */
  private static double[] powerIteration(double[] a, int d, double[][] previous, int count) {
    double[] v = new double[d];
    for (int i = 0; i < d; i++) {
      v[i] = 1.0 + 0.01 * i + 0.001 * count * i * i;
    }
    orthonormalize(v, previous, count);
    double[] w = new double[d];
    double lambda = 0.0;
    for (int it = 0; it < 300; it++) {
      for (int i = 0; i < d; i++) {
        double s = 0.0;
        for (int j = 0; j < d; j++) {
          s += a[i * d + j] * v[j];
        }
        w[i] = s;
      }
      if (!orthonormalize(w, previous, count)) {
        return v;
      }
      double next = rayleigh(a, d, w);
      double[] t = v;
      v = w;
      w = t;
      if (Math.abs(next - lambda) <= 1e-10 * Math.abs(next)) {
        break;
      }
      lambda = next;
    }
    return v;
  }

  /** Removes the components along {@code basis[0..count)} (twice, for accuracy) and normalises. */
  private static boolean orthonormalize(double[] v, double[][] basis, int count) {
    for (int pass = 0; pass < 2; pass++) {
      for (int b = 0; b < count; b++) {
        double dot = 0.0;
        for (int i = 0; i < v.length; i++) {
          dot += v[i] * basis[b][i];
        }
        for (int i = 0; i < v.length; i++) {
          v[i] -= dot * basis[b][i];
        }
      }
    }
    double norm = 0.0;
    for (double x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    if (!(norm > 0.0)) {
      return false;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= norm;
    }
    return true;
  }

  private static double rayleigh(double[] a, int d, double[] v) {
    double s = 0.0;
    for (int i = 0; i < d; i++) {
      double row = 0.0;
      for (int j = 0; j < d; j++) {
        row += a[i * d + j] * v[j];
      }
      s += v[i] * row;
    }
    return s;
  }
}
