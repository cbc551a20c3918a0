package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.data.RowBlock;

class InitializerTest {

  /**
   * Lloyd iterations can leave a centre with no rows; the start must still be a valid mixture (that
   * centre as its mean, the sample's covariance, a tiny weight), for every covariance type.
   */
  @Test
  void emptyClustersStillGiveAValidStart() {
    int failures = 0;
    // Small tables of few distinct values; seed 68924 (k = 5) empties a cluster during Lloyd.
    for (int seed = 68_900; seed < 68_950; seed++) {
      Random r = new Random(seed);
      int n = 10 + r.nextInt(30);
      int d = 1 + r.nextInt(2);
      int k = 2 + r.nextInt(5);
      double[] v = new double[n * d];
      for (int i = 0; i < v.length; i++) {
        v[i] = r.nextInt(5) + (r.nextDouble() < 0.3 ? r.nextGaussian() : 0);
      }
      RowBlock rows = new RowBlock(n, d, v, null);
      for (CovarianceType type : CovarianceType.values()) {
        try {
          GaussianMixtureModel m = Initializer.initialize(rows,
              EmSettings.defaults(k).withCovarianceType(type), new Random(seed));
          assertEquals(k, m.k());
        } catch (IllegalArgumentException e) {
          if (!e.getMessage().contains("distinct rows")) {
            failures++;
          }
        }
      }
    }
    assertEquals(0, failures, "starts that were not valid mixtures");
  }

  @Test
  void tooFewDistinctRowsIsNamed() {
    RowBlock rows = new RowBlock(4, 1, new double[] {1, 1, 2, 2}, null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Initializer.initialize(rows, EmSettings.defaults(3), new Random(1)));
    assertTrue(e.getMessage().contains("distinct rows (2)"), e.getMessage());
  }
}
