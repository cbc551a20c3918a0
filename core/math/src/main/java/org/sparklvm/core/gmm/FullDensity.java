package org.sparklvm.core.gmm;

import java.util.Arrays;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.linalg.Blas;
import org.sparklvm.core.linalg.Cholesky;

/**
 * Log-densities under a full covariance per component: with {@code Sigma_k = L_k L_k^T} and {@code P_k
 * = L_k^{-1}}, the Mahalanobis distance is {@code |P_k (x - mu_k)|^2}, a GEMM of the centred rows with
 * {@code P_k^T}. Every pair of row and component is evaluated; {@link PrunedFullDensity} skips those
 * that cannot matter.
 */
class FullDensity extends MixtureDensity {

  /** {@code P_k^T}, row-major {@code d x d}, one per component. */
  private final double[][] inverseFactorT;

  FullDensity(GaussianMixtureModel model, Cholesky[] factors) {
    super(model, factors);
    inverseFactorT = new double[k][];
    for (int c = 0; c < k; c++) {
      inverseFactorT[c] = transpose(factors[c].inverseLower(), d);
    }
  }

  @Override
  void logJoint(RowBlock block, double[] out, Workspace ws) {
    Arrays.fill(out, 0, block.rows() * k, Double.NEGATIVE_INFINITY);
    for (int c = 0; c < k; c++) {
      exact(block, c, ws.identity(block.rows()), block.rows(), out, ws);
    }
  }

  /**
   * {@code out[r, c]} for the listed rows of component {@code c}: their centred rows gathered into one
   * matrix, multiplied by {@code P_c^T}.
   */
  final void exact(RowBlock block, int c, int[] rows, int m, double[] out, Workspace ws) {
    if (m == 0) {
      return;
    }
    double[] x = block.values();
    double[] g = ws.gathered(m * d);
    int mo = c * d;
    for (int i = 0; i < m; i++) {
      int xo = rows[i] * d;
      int go = i * d;
      for (int j = 0; j < d; j++) {
        g[go + j] = x[xo + j] - means[mo + j];
      }
    }
    double[] y = ws.projected(m * d);
    Blas.gemm(m, d, d, g, inverseFactorT[c], 0.0, y);
    ws.flops += 2L * m * d * d + 3L * m * d;
    for (int i = 0; i < m; i++) {
      int yo = i * d;
      double maha = 0.0;
      for (int j = 0; j < d; j++) {
        maha += y[yo + j] * y[yo + j];
      }
      out[rows[i] * k + c] = logNormalizer[c] - 0.5 * maha;
    }
  }
}
