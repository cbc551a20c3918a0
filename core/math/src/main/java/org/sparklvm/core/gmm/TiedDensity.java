package org.sparklvm.core.gmm;

import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.linalg.Blas;
import org.sparklvm.core.linalg.Cholesky;

/**
 * Log-densities under one shared covariance {@code Sigma = L L^T}: a block's rows and the means are
 * whitened by the same {@code P = L^{-1}} (two GEMMs), and {@code |P x - P mu_k|^2} is the Mahalanobis
 * distance to every component.
 */
final class TiedDensity extends MixtureDensity {

  /** {@code P^T}, row-major {@code d x d}. */
  private final double[] inverseFactorT;
  private final PackedForms forms;

  TiedDensity(GaussianMixtureModel model, Cholesky[] factors) {
    super(model, factors);
    inverseFactorT = transpose(factors[0].inverseLower(), d);
    forms = PackedForms.of(model, factors);
  }

  /** Whitening is cheap here; the forms serve the M-step's per-component second moments. */
  @Override
  PackedForms forms() {
    return forms;
  }

  @Override
  void logJoint(RowBlock block, double[] out, Workspace ws) {
    int n = block.rows();
    double[] y = ws.projected(n * d);
    Blas.gemm(n, d, d, block.values(), inverseFactorT, 0.0, y);
    double[] offsets = ws.gathered(k * d);
    Blas.gemm(k, d, d, means, inverseFactorT, 0.0, offsets);
    ws.flops += 2L * (n + k) * d * d + 3L * n * k * d;
    for (int r = 0; r < n; r++) {
      int yo = r * d;
      for (int c = 0; c < k; c++) {
        int o = c * d;
        double maha = 0.0;
        for (int j = 0; j < d; j++) {
          double t = y[yo + j] - offsets[o + j];
          maha += t * t;
        }
        out[r * k + c] = logNormalizer[c] - 0.5 * maha;
      }
    }
  }
}
