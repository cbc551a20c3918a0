package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.data.RowBlock;

class RunningStatisticsTest {

  /**
   * With steps 1/(t + 1) under one mixture, the running average of equal batches is the statistics of
   * all their rows per unit weight: the merge property, stated for averages.
   */
  @Test
  void averagingWithStepsOneOverTPlusOneEqualsTheStatisticsOfAllBatches() {
    for (CovarianceType type : CovarianceType.values()) {
      GaussianMixtureModel m = TestData.planted(type);
      List<RowBlock> batches = TestData.draw(m, 4000, 500, 3);
      RunningStatistics running = new RunningStatistics(type, 3, 3);
      SufficientStatistics all = new SufficientStatistics(m);
      for (int t = 0; t < batches.size(); t++) {
        running.blend(new SufficientStatistics(m).add(batches.get(t)), 1.0 / (t + 1));
        all.add(batches.get(t));
      }
      assertSame(RunningStatistics.of(all), running, 3, 1e-12, type.toString());
    }
  }

  /**
   * The statistics do not depend on the mixture whose means they were taken about: with one
   * component (every responsibility 1) the rows' moments under two different mixtures agree, and
   * with three they are the sums {@code sum w r x}, {@code sum w r x x^T} computed row by row.
   */
  @Test
  void statisticsAboutDifferentMeansAreTheSameSums() {
    RowBlock rows = weighted(TestData.concat(TestData.draw(TestData.planted(CovarianceType.FULL),
        3000, 3000, 4)), 5);
    for (CovarianceType type : CovarianceType.values()) {
      GaussianMixtureModel a = new GaussianMixtureModel(type, new double[] {1},
          new double[][] {{0.5, -1, 2}}, new double[][] {{2, 0, 0, 0, 2, 0, 0, 0, 2}});
      GaussianMixtureModel b = new GaussianMixtureModel(type, new double[] {1},
          new double[][] {{-3, 4, 1}}, new double[][] {{5, 0, 0, 0, 5, 0, 0, 0, 5}});
      RunningStatistics sa = RunningStatistics.of(new SufficientStatistics(a).add(rows));
      RunningStatistics sb = RunningStatistics.of(new SufficientStatistics(b).add(rows));
      assertSame(sa, sb, 1, 1e-9, type + " one component");

      GaussianMixtureModel m = TestData.planted(type);
      RunningStatistics s = RunningStatistics.of(new SufficientStatistics(m).add(rows));
      int d = 3;
      boolean full = type.family().needsFullSecondMoment();
      double total = rows.totalWeight();
      for (int c = 0; c < 3; c++) {
        double n = 0;
        double[] f = new double[d];
        double[] q = new double[full ? d * d : d];
        for (int r = 0; r < rows.rows(); r++) {
          double[] x = rows.row(r);
          double wr = rows.weight(r) * m.responsibilities(x)[c] / total;
          n += wr;
          for (int i = 0; i < d; i++) {
            f[i] += wr * x[i];
            for (int j = 0; j < d; j++) {
              if (full) {
                q[i * d + j] += wr * x[i] * x[j];
              } else if (i == j) {
                q[i] += wr * x[i] * x[i];
              }
            }
          }
        }
        assertEquals(n, s.mass(c), 1e-12, type + " mass");
        assertArrayEquals(f, s.firstMomentAboutOrigin(c), 1e-9, type + " first moment");
        assertArrayEquals(q, s.secondMomentAboutOrigin(c), 1e-9, type + " second moment");
      }
    }
  }

  /**
   * The running statistics reach the M-step through {@link SufficientStatistics}: taken about any
   * mixture's means, they give the mixture batch EM's M-step gives.
   */
  @Test
  void mStepOfRunningStatisticsIsBatchEmsMStep() {
    for (CovarianceType type : CovarianceType.values()) {
      GaussianMixtureModel m = TestData.planted(type);
      RowBlock rows = weighted(TestData.concat(TestData.draw(m, 2000, 2000, 6)), 7);
      SufficientStatistics batch = new SufficientStatistics(m).add(rows);
      GaussianMixtureModel expected = MaximizationStep.apply(batch, 1e-6).model();
      RunningStatistics running = RunningStatistics.of(batch);
      for (GaussianMixtureModel about : List.of(m, TestData.planted(type), expected)) {
        GaussianMixtureModel actual =
            MaximizationStep.apply(running.toStatistics(about), 1e-6).model();
        assertModelsClose(expected, actual, 1e-9, type.toString());
      }
    }
  }

  @Test
  void impliedStatisticsHaveTheMixtureAsTheirMStep() {
    for (CovarianceType type : CovarianceType.values()) {
      GaussianMixtureModel m = TestData.planted(type);
      RunningStatistics s = RunningStatistics.implied(m, 1e-3);
      assertEquals(1.0, s.totalMass(), 1e-12);
      assertModelsClose(m, MaximizationStep.apply(s.toStatistics(m), 1e-3).model(), 1e-12,
          type.toString());
    }
  }

  @Test
  void blendRefusesBadStepsEmptyBatchesAndOtherShapes() {
    GaussianMixtureModel m = TestData.planted(CovarianceType.FULL);
    SufficientStatistics batch = new SufficientStatistics(m).add(TestData.draw(m, 10, 10, 1).get(0));
    RunningStatistics s = new RunningStatistics(CovarianceType.FULL, 3, 3);
    assertThrows(IllegalArgumentException.class, () -> s.blend(batch, 0.0));
    assertThrows(IllegalArgumentException.class, () -> s.blend(batch, 1.5));
    assertThrows(IllegalArgumentException.class,
        () -> s.blend(new SufficientStatistics(m), 0.5));
    RunningStatistics diag = new RunningStatistics(CovarianceType.DIAG, 3, 3);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> diag.blend(batch, 0.5));
    assertEquals("statistics of a diag mixture of k=3, d=3 cannot take a batch under "
        + m, e.getMessage());
  }

  static void assertModelsClose(GaussianMixtureModel a, GaussianMixtureModel b, double tol,
      String what) {
    assertArrayEquals(a.weights(), b.weights(), tol, what + " weights");
    for (int c = 0; c < a.k(); c++) {
      assertArrayEquals(a.mean(c), b.mean(c), tol, what + " mean " + c);
      assertArrayEquals(a.covariance(c), b.covariance(c), tol, what + " covariance " + c);
    }
  }

  private static void assertSame(RunningStatistics a, RunningStatistics b, int k, double tol,
      String what) {
    assertEquals(a.totalMass(), b.totalMass(), tol, what);
    for (int c = 0; c < k; c++) {
      assertEquals(a.mass(c), b.mass(c), tol, what + " mass");
      assertArrayEquals(a.firstMomentAboutOrigin(c), b.firstMomentAboutOrigin(c), tol,
          what + " first moment");
      assertArrayEquals(a.secondMomentAboutOrigin(c), b.secondMomentAboutOrigin(c), tol,
          what + " second moment");
    }
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
