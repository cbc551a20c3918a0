package org.sparklvm.core.gmm;

import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.linalg.Cholesky;

/**
 * Log-densities under diagonal (and spherical) covariances: the Mahalanobis distance is a sum of
 * squares of the centred entries scaled by {@code 1 / sigma_kj}, no GEMM needed.
 */
final class DiagonalDensity extends MixtureDensity {

  /** {@code 1 / sigma_kj}, {@code k x d}. */
  private final double[] inverseScales;

  DiagonalDensity(GaussianMixtureModel model, Cholesky[] factors) {
    super(model, factors);
    inverseScales = new double[k * d];
    for (int c = 0; c < k; c++) {
      double[] l = factors[c].lower();
      for (int j = 0; j < d; j++) {
        inverseScales[c * d + j] = 1.0 / l[j * d + j];
      }
    }
  }

  @Override
  void logJoint(RowBlock block, double[] out, Workspace ws) {
    double[] x = block.values();
    ws.flops += 4L * block.rows() * k * d;
    for (int r = 0; r < block.rows(); r++) {
      int xo = r * d;
      for (int c = 0; c < k; c++) {
        int o = c * d;
        double maha = 0.0;
        for (int j = 0; j < d; j++) {
          double t = (x[xo + j] - means[o + j]) * inverseScales[o + j];
          maha += t * t;
        }
        out[r * k + c] = logNormalizer[c] - 0.5 * maha;
      }
    }
  }
}
