package org.sparklvm.core.gmm;

import org.sparklvm.core.linalg.Blas;
import org.sparklvm.core.linalg.Cholesky;

/**
 * The per-component log-densities {@code log pi_k + log N(x | mu_k, Sigma_k)} of a mixture, evaluated on
 * a block of rows at once.
 *
 * <p>With {@code Sigma_k = L_k L_k^T} and {@code P_k = L_k^{-1}}, the Mahalanobis distance is
 * {@code |P_k x - P_k mu_k|^2}. For full covariances every {@code P_k^T} sits side by side in one
 * {@code d x kd} matrix, so a whole block is one GEMM; tied covariances share one {@code P}; diagonal and
 * spherical ones are scalings, done element-wise.
 */
final class MixtureDensity {

  private static final double LOG_2PI = Math.log(2.0 * Math.PI);

  private final CovarianceType type;
  private final int k;
  private final int d;
  /** {@code log pi_k - (d log 2 pi + log det Sigma_k) / 2}. */
  private final double[] logNormalizer;
  /** Full: {@code d x kd}, tied: {@code d x d}, row-major; the transposed inverse Cholesky factors. */
  private final double[] projection;
  /** {@code P_k mu_k} for full and tied, {@code mu_k} for diag and spherical; {@code k x d}. */
  private final double[] offsets;
  /** Diag and spherical: {@code 1 / sigma_kj}, {@code k x d}. */
  private final double[] inverseScales;

  MixtureDensity(GaussianMixtureModel model, Cholesky[] factors) {
    this.type = model.covarianceType();
    this.k = model.k();
    this.d = model.dim();
    this.logNormalizer = new double[k];
    this.offsets = new double[k * d];
    double[] weights = model.weights();
    for (int c = 0; c < k; c++) {
      logNormalizer[c] =
          Math.log(weights[c]) - 0.5 * (d * LOG_2PI + factors[c].logDeterminant());
    }
    switch (type) {
      case FULL, TIED -> {
        int blocks = type == CovarianceType.FULL ? k : 1;
        int width = blocks * d;
        projection = new double[d * width];
        for (int b = 0; b < blocks; b++) {
          double[] inv = factors[b].inverseLower();
          for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
              projection[j * width + b * d + i] = inv[i * d + j];
            }
          }
        }
        for (int c = 0; c < k; c++) {
          double[] inv = factors[type == CovarianceType.FULL ? c : 0].inverseLower();
          double[] mu = model.mean(c);
          for (int i = 0; i < d; i++) {
            double s = 0.0;
            for (int j = 0; j <= i; j++) {
              s += inv[i * d + j] * mu[j];
            }
            offsets[c * d + i] = s;
          }
        }
        inverseScales = null;
      }
      default -> {
        projection = null;
        inverseScales = new double[k * d];
        for (int c = 0; c < k; c++) {
          double[] l = factors[c].lower();
          double[] mu = model.mean(c);
          for (int j = 0; j < d; j++) {
            inverseScales[c * d + j] = 1.0 / l[j * d + j];
            offsets[c * d + j] = mu[j];
          }
        }
      }
    }
  }

  /** Floating-point operations of {@link #logJoint} per row, for throughput reports. */
  double flopsPerRow() {
    return switch (type) {
      case FULL -> 2.0 * d * d * k + 3.0 * k * d;
      case TIED -> 2.0 * d * d + 3.0 * k * d;
      default -> 4.0 * k * d;
    };
  }

  /**
   * Fills {@code out} (rows x k, row-major) with {@code log pi_k + log N(x_n | k)}.
   *
   * @param scratch reusable buffer; may be null or too small, in which case a new one is returned
   * @return the scratch buffer to reuse on the next call
   */
  double[] logJoint(RowBlock block, double[] out, double[] scratch) {
    int n = block.rows();
    double[] x = block.values();
    switch (type) {
      case FULL, TIED -> {
        int width = type == CovarianceType.FULL ? k * d : d;
        if (scratch == null || scratch.length < n * width) {
          scratch = new double[n * width];
        }
        Blas.gemm(n, width, d, x, projection, 0.0, scratch);
        for (int r = 0; r < n; r++) {
          int yRow = r * width;
          for (int c = 0; c < k; c++) {
            int y = yRow + (type == CovarianceType.FULL ? c * d : 0);
            int o = c * d;
            double maha = 0.0;
            for (int i = 0; i < d; i++) {
              double t = scratch[y + i] - offsets[o + i];
              maha += t * t;
            }
            out[r * k + c] = logNormalizer[c] - 0.5 * maha;
          }
        }
      }
      default -> {
        for (int r = 0; r < n; r++) {
          int xRow = r * d;
          for (int c = 0; c < k; c++) {
            int o = c * d;
            double maha = 0.0;
            for (int j = 0; j < d; j++) {
              double t = (x[xRow + j] - offsets[o + j]) * inverseScales[o + j];
              maha += t * t;
            }
            out[r * k + c] = logNormalizer[c] - 0.5 * maha;
          }
        }
      }
    }
    return scratch;
  }

  /**
   * Turns each row of {@code logJoint} (rows x k) into responsibilities in place and returns the row's
   * {@code log p(x) = logsumexp_k logJoint}; the maximum is subtracted first so no term overflows or
   * underflows to a zero sum.
   */
  static double normalizeRow(double[] logJoint, int offset, int k) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      max = Math.max(max, logJoint[offset + c]);
    }
    double sum = 0.0;
    for (int c = 0; c < k; c++) {
      double e = Math.exp(logJoint[offset + c] - max);
      logJoint[offset + c] = e;
      sum += e;
    }
    for (int c = 0; c < k; c++) {
      logJoint[offset + c] /= sum;
    }
    return max + Math.log(sum);
  }
}
