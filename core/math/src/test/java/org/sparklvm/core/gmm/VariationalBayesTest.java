package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.data.RowBlock;

/** Properties of the variational iteration that hold whatever the data. */
class VariationalBayesTest {

  private static EmSettings settings(int k, CovarianceType type, int iterations, double tol) {
    return new EmSettings(k, type, iterations, tol, 1e-6,
        EmSettings.Initialization.KMEANS_PLUS_PLUS, 1, 0);
  }

  private static MixturePrior defaults(WeightPrior w, CovarianceType type, int k, RowBlock x) {
    return MixturePrior.withDefaults(w, type, k, BayesTestData.mean(x), BayesTestData.covariance(x),
        null, null, null, null, null);
  }

  private static int[] randomLabels(int n, int k, long seed) {
    Random random = new Random(seed);
    int[] labels = new int[n];
    for (int r = 0; r < n; r++) {
      labels[r] = random.nextInt(k);
    }
    return labels;
  }

  @Test
  void lowerBoundNeverDecreases() {
    for (CovarianceType type : CovarianceType.values()) {
      for (WeightPrior w : WeightPrior.values()) {
        for (long seed = 1; seed <= 4; seed++) {
          RowBlock x = TestData.concat(
              TestData.draw(TestData.planted(CovarianceType.FULL), 300, 100, seed));
          int k = 6;
          VariationalFit fit = VariationalBayes.run(
              BayesTestData.labelStatistics(x, randomLabels(x.rows(), k, seed), k, type),
              TestData.pass(List.of(x)), defaults(w, type, k, x), settings(k, type, 60, 0.0),
              (i, b, s) -> { });
          List<Double> h = fit.lowerBoundHistory();
          assertEquals(60, h.size());
          for (int i = 1; i < h.size(); i++) {
            double before = h.get(i - 1);
            assertTrue(h.get(i) >= before - 1e-9 * Math.abs(before), type + " " + w.id() + " seed "
                + seed + ": the bound fell from " + before + " to " + h.get(i) + " at iteration "
                + (i + 1));
          }
        }
      }
    }
  }

  @Test
  void aLongStickWhoseTailUnderflowsStillFits() {
    RowBlock x = TestData.concat(TestData.draw(TestData.planted(CovarianceType.DIAG), 200, 200, 3));
    int k = 300;
    int[] labels = new int[x.rows()];
    for (int r = 0; r < labels.length; r++) {
      labels[r] = r % 5;
    }
    VariationalFit fit = VariationalBayes.run(
        BayesTestData.labelStatistics(x, labels, k, CovarianceType.DIAG), TestData.pass(List.of(x)),
        defaults(WeightPrior.DIRICHLET_PROCESS, CovarianceType.DIAG, k, x),
        settings(k, CovarianceType.DIAG, 10, 0.0), (i, b, s) -> { });
    // Sticks far down have E[log pi] near -300 each: their weights underflow and are floored.
    double[] w = fit.posterior().expectedWeights();
    assertEquals(0.0, w[k - 1]);
    assertTrue(Double.isFinite(fit.meanLogLikelihood()));
    assertTrue(fit.lowerBound() >= fit.lowerBoundHistory().get(0));
    assertTrue(fit.posterior().effectiveComponents(0.01) <= 5);
  }
}
