package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.data.RowBlock;

class ExpectationMaximizationTest {

  private static FitResult fit(List<RowBlock> blocks, EmSettings s) {
    GaussianMixtureModel start = Initializer.initialize(TestData.concat(blocks), s, new Random(s.seed()));
    return ExpectationMaximization.run(start, TestData.pass(blocks), s, (i, ll, t) -> { });
  }

  @Test
  void recoversPlantedMixturesOfEveryCovarianceType() {
    for (CovarianceType type : CovarianceType.values()) {
      GaussianMixtureModel planted = TestData.planted(type);
      List<RowBlock> blocks = TestData.draw(planted, 30_000, 1000, 23);
      EmSettings s = EmSettings.defaults(3).withCovarianceType(type);
      FitResult fit = fit(blocks, s);
      assertTrue(fit.converged(), type + " did not converge");
      GaussianMixtureModel m = fit.model();
      for (int c = 0; c < 3; c++) {
        int match = nearest(m, planted.mean(c));
        // Sampling error of a mean is about sigma / sqrt(n_k) < 0.02; of a variance about 1%.
        assertEquals(planted.weights()[c], m.weights()[match], 0.01, type + " weight " + c);
        double[] mu = m.mean(match);
        double[] sigma = m.covariance(match);
        double[] plantedSigma = planted.covariance(c);
        for (int j = 0; j < 3; j++) {
          assertEquals(planted.mean(c)[j], mu[j], 0.06, type + " mean " + c);
        }
        for (int j = 0; j < 9; j++) {
          assertEquals(plantedSigma[j], sigma[j], 0.05 + 0.05 * Math.abs(plantedSigma[j]),
              type + " covariance " + c + " entry " + j);
        }
      }
    }
  }

  @Test
  void logLikelihoodNeverDecreases() {
    for (CovarianceType type : CovarianceType.values()) {
      List<RowBlock> blocks = TestData.draw(TestData.planted(CovarianceType.FULL), 4000, 500, 3);
      // Overlapping random start and no regularisation: EM proper, many iterations.
      EmSettings s = new EmSettings(5, type, 60, 0.0, 0.0, EmSettings.Initialization.RANDOM, 1, 9);
      List<Double> h = fit(blocks, s).logLikelihoodHistory();
      assertEquals(61, h.size());
      for (int i = 1; i < h.size(); i++) {
        assertTrue(h.get(i) >= h.get(i - 1) - 1e-12 * Math.abs(h.get(i - 1)),
            type + " decreased at iteration " + i + ": " + h.get(i - 1) + " -> " + h.get(i));
      }
      assertTrue(h.get(60) > h.get(0) + 0.1, type + " hardly moved");
    }
  }

  @Test
  void aRowOfWeightTwoCountsAsTwoRows() {
    GaussianMixtureModel m = TestData.planted(CovarianceType.FULL);
    RowBlock rows = TestData.concat(TestData.draw(m, 600, 600, 4));
    int d = 3;
    int half = 300;
    double[] doubled = new double[(rows.rows() + half) * d];
    System.arraycopy(rows.values(), 0, doubled, 0, rows.rows() * d);
    System.arraycopy(rows.values(), 0, doubled, rows.rows() * d, half * d);
    double[] w = new double[rows.rows()];
    for (int i = 0; i < w.length; i++) {
      w[i] = i < half ? 2.0 : 1.0;
    }
    EmSettings s = new EmSettings(3, CovarianceType.FULL, 20, 0, 1e-6,
        EmSettings.Initialization.KMEANS_PLUS_PLUS, 1, 1);
    GaussianMixtureModel start = Initializer.initialize(rows, s, new Random(1));
    FitResult weighted = ExpectationMaximization.run(start,
        TestData.pass(List.of(new RowBlock(rows.rows(), d, rows.values(), w))), s, (i, l, t) -> { });
    FitResult repeated = ExpectationMaximization.run(start,
        TestData.pass(List.of(new RowBlock(rows.rows() + half, d, doubled, null))), s,
        (i, l, t) -> { });
    assertEquals(repeated.meanLogLikelihood(), weighted.meanLogLikelihood(), 1e-10);
    assertEquals(repeated.bic(), weighted.bic(), 1e-6);
  }

  @Test
  void aComponentThatLosesAllItsRowsIsReinitialisedNotNaN() {
    List<RowBlock> blocks = TestData.draw(TestData.planted(CovarianceType.FULL), 3000, 1000, 8);
    GaussianMixtureModel fitted = fit(blocks, EmSettings.defaults(3)).model();
    double[][] means = {fitted.mean(0), fitted.mean(1), fitted.mean(2), {1e4, 1e4, 1e4}};
    double[][] covs = {fitted.covariance(0), fitted.covariance(1), fitted.covariance(2),
        fitted.covariance(0)};
    double[] w = fitted.weights();
    GaussianMixtureModel start = new GaussianMixtureModel(CovarianceType.FULL,
        new double[] {w[0] * 0.9, w[1] * 0.9, w[2] * 0.9, 0.1}, means, covs);
    FitResult fit = ExpectationMaximization.run(start, TestData.pass(blocks),
        EmSettings.defaults(4), (i, l, t) -> { });
    assertTrue(fit.reinitializations() >= 1);
    assertTrue(Double.isFinite(fit.meanLogLikelihood()));
    for (int c = 0; c < 4; c++) {
      assertTrue(fit.model().weights()[c] > 0.01, "component " + c + " still empty");
      assertTrue(Math.abs(fit.model().mean(c)[0]) < 100, "component " + c + " still far away");
    }
    assertFalse(Double.isNaN(fit.bic()));
  }

  static int nearest(GaussianMixtureModel m, double[] mu) {
    int best = 0;
    double bestD = Double.POSITIVE_INFINITY;
    for (int c = 0; c < m.k(); c++) {
      double[] x = m.mean(c);
      double s = 0;
      for (int j = 0; j < mu.length; j++) {
        s += (x[j] - mu[j]) * (x[j] - mu[j]);
      }
      if (s < bestD) {
        bestD = s;
        best = c;
      }
    }
    return best;
  }
}
