package org.sparklvm.core.linalg;

import java.util.Optional;

/**
 * Cholesky factor {@code L} (lower triangular, {@code Sigma = L L^T}) of a symmetric positive-definite
 * row-major matrix, with the pieces the Gaussian density needs: {@code L^{-1}} and {@code log det Sigma}.
 */
public final class Cholesky {

  private final int dim;
  private final double[] lower;

  private Cholesky(int dim, double[] lower) {
    this.dim = dim;
    this.lower = lower;
  }

  /**
   * Factors {@code a} (row-major, {@code dim x dim}, only the lower triangle is read).
   *
   * @return empty when {@code a} is not numerically positive definite
   */
  public static Optional<Cholesky> of(double[] a, int dim) {
    double[] l = new double[dim * dim];
    for (int j = 0; j < dim; j++) {
      double diag = a[j * dim + j];
      for (int p = 0; p < j; p++) {
        diag -= l[j * dim + p] * l[j * dim + p];
      }
      if (!(diag > 0.0) || !Double.isFinite(diag)) {
        return Optional.empty();
      }
      double ljj = Math.sqrt(diag);
      l[j * dim + j] = ljj;
      for (int i = j + 1; i < dim; i++) {
        double s = a[i * dim + j];
        for (int p = 0; p < j; p++) {
          s -= l[i * dim + p] * l[j * dim + p];
        }
        l[i * dim + j] = s / ljj;
      }
    }
    return Optional.of(new Cholesky(dim, l));
  }

  public int dim() {
    return dim;
  }

  /** The factor {@code L}, row-major; the upper triangle is zero. */
  public double[] lower() {
    return lower.clone();
  }

  /** {@code log det Sigma = 2 sum log L_ii}. */
  public double logDeterminant() {
    double s = 0.0;
    for (int i = 0; i < dim; i++) {
      s += Math.log(lower[i * dim + i]);
    }
    return 2.0 * s;
  }

  /** {@code L^{-1}} by forward substitution on the identity; lower triangular, row-major. */
  public double[] inverseLower() {
    double[] inv = new double[dim * dim];
    for (int col = 0; col < dim; col++) {
      for (int i = col; i < dim; i++) {
        double s = i == col ? 1.0 : 0.0;
        for (int p = col; p < i; p++) {
          s -= lower[i * dim + p] * inv[p * dim + col];
        }
        inv[i * dim + col] = s / lower[i * dim + i];
      }
    }
    return inv;
  }

  /** {@code out = L z} (used to draw {@code x = mu + L z} with {@code z ~ N(0, I)}). */
  public void multiplyLower(double[] z, double[] out) {
    for (int i = 0; i < dim; i++) {
      double s = 0.0;
      for (int p = 0; p <= i; p++) {
        s += lower[i * dim + p] * z[p];
      }
      out[i] = s;
    }
  }
}
