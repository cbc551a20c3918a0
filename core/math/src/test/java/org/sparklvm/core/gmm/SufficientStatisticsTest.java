package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
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

  /**
   * Spark gives every partition its own deserialised copy of the mixture: statistics under a copy
   * merge, and the merge equals one pass over all rows.
   */
  @Test
  void statisticsUnderADeserialisedCopyOfTheMixtureMerge() throws Exception {
    GaussianMixtureModel m = TestData.planted(CovarianceType.FULL);
    GaussianMixtureModel copy = deserialisedCopy(m);
    assertNotSame(m, copy);
    List<RowBlock> blocks = TestData.draw(m, 3000, 1000, 6);
    SufficientStatistics whole = new SufficientStatistics(m);
    blocks.forEach(whole::add);
    SufficientStatistics merged = new SufficientStatistics(m).add(blocks.get(0))
        .merge(new SufficientStatistics(copy).add(blocks.get(1)).add(blocks.get(2)));
    assertClose(whole, merged, CovarianceType.FULL);
  }

  /**
   * Moments about other means, or responsibilities under other weights, do not add up: statistics of
   * a mixture whose one mean entry moved by 1e-9, or of another family with the same numbers (a
   * spherical mixture's parameters are a valid diagonal one's), are refused.
   */
  @Test
  void statisticsUnderDifferentMixturesAreRefused() {
    GaussianMixtureModel m = TestData.planted(CovarianceType.SPHERICAL);
    double[][] means = new double[3][];
    double[][] covs = new double[3][];
    for (int c = 0; c < 3; c++) {
      means[c] = m.mean(c);
      covs[c] = m.covariance(c);
    }
    means[2][1] += 1e-9;
    GaussianMixtureModel moved = new GaussianMixtureModel(CovarianceType.SPHERICAL, m.weights(),
        means, covs);
    means[2][1] -= 1e-9;
    GaussianMixtureModel diagonal = new GaussianMixtureModel(CovarianceType.DIAG, m.weights(),
        means, covs);
    RowBlock rows = TestData.draw(m, 500, 500, 8).get(0);
    for (GaussianMixtureModel other : List.of(moved, diagonal)) {
      SufficientStatistics a = new SufficientStatistics(m).add(rows);
      SufficientStatistics b = new SufficientStatistics(other).add(rows);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.merge(b));
      assertTrue(e.getMessage().startsWith(
          "cannot merge statistics taken under different mixtures"), e.getMessage());
      assertEquals(500, a.rows(), "a refused merge adds nothing");
    }
  }

  private static GaussianMixtureModel deserialisedCopy(GaussianMixtureModel m)
      throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(m);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (GaussianMixtureModel) in.readObject();
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
