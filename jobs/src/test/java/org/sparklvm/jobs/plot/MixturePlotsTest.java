package org.sparklvm.jobs.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.GaussianMixtureModel;

class MixturePlotsTest {

  /** Every point of a drawn ellipse is at squared Mahalanobis distance chi2_2(0.95) = 5.991. */
  @Test
  void ellipsesAreThe95PercentContours() {
    double[] sigma = {4, 1.5, 1.5, 1};
    GaussianMixtureModel model = new GaussianMixtureModel(CovarianceType.FULL,
        new double[] {1}, new double[][] {{2, -1}}, new double[][] {sigma});
    double[][] e = MixturePlots.ellipse(model, 0, null);
    double det = sigma[0] * sigma[3] - sigma[1] * sigma[2];
    for (int i = 0; i < e[0].length; i++) {
      double dx = e[0][i] - 2;
      double dy = e[1][i] + 1;
      // (dx, dy) Sigma^-1 (dx, dy)^T with the 2x2 inverse written out.
      double m = (sigma[3] * dx * dx - 2 * sigma[1] * dx * dy + sigma[0] * dy * dy) / det;
      assertEquals(5.991464547107979, m, 1e-9, "point " + i);
    }
  }
}
