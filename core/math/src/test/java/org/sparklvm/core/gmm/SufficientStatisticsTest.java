package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.data.RowBlock;

class SufficientStatisticsTest {

  /** Merging statistics of arbitrary partitions equals one pass over all rows. */
  @Test
  void mergingPartitionsEqualsOnePass() {
    for (CovarianceType type : CovarianceType.values()) {
      GaussianMixtureModel m = TestData.planted(type);
      RowBlock all = weighted(TestData.concat(TestData.draw(m, 5000, 5000, 5)), 9);
      SufficientStatistics whole = new SufficientStatistics(m).add(all);
      Random random = new Random(17);
      for (int trial = 0; trial < 5; trial++) {
        SufficientStatistics merged = null;
        for (RowBlock part : split(all, random)) {
          SufficientStatistics s = new SufficientStatistics(m).add(part);
          merged = merged == null ? s : merged.merge(s);
        }
        assertClose(whole, merged, type);
      }
    }
  }

  private static void assertClose(SufficientStatistics a, SufficientStatistics b, CovarianceType t) {
    assertEquals(a.rows(), b.rows());
    assertEquals(a.totalWeight(), b.totalWeight(), 1e-9 * a.totalWeight());
    assertEquals(a.logLikelihood(), b.logLikelihood(), 1e-9 * Math.abs(a.logLikelihood()));
    for (int c = 0; c < a.model().k(); c++) {
      assertEquals(a.mass(c), b.mass(c), 1e-9 * a.totalWeight(), t + " mass");
      double[] f1 = a.firstMoment(c);
      double[] f2 = b.firstMoment(c);
      double[] s1 = a.secondMoment(c);
      double[] s2 = b.secondMoment(c);
      for (int j = 0; j < f1.length; j++) {
        assertEquals(f1[j], f2[j], 1e-9 * a.totalWeight(), t + " first moment");
      }
      for (int j = 0; j < s1.length; j++) {
        assertEquals(s1[j], s2[j], 1e-9 * a.totalWeight(), t + " second moment");
      }
    }
  }

  /** Random contiguous pieces of 1 to 700 rows, some empty. */
  private static List<RowBlock> split(RowBlock all, Random random) {
    List<RowBlock> parts = new ArrayList<>();
    int d = all.dim();
    int start = 0;
    while (start < all.rows()) {
      int n = Math.min(all.rows() - start, random.nextInt(701));
      double[] v = new double[n * d];
      double[] w = new double[n];
      System.arraycopy(all.values(), start * d, v, 0, n * d);
      System.arraycopy(all.weights(), start, w, 0, n);
      parts.add(new RowBlock(n, d, v, w));
      start += n;
    }
    return parts;
  }

  private static RowBlock weighted(RowBlock b, long seed) {
    Random r = new Random(seed);
    double[] w = new double[b.rows()];
    for (int i = 0; i < w.length; i++) {
      w[i] = 0.1 + 2 * r.nextDouble();
    }
    return new RowBlock(b.rows(), b.dim(), b.values(), w);
  }
}
