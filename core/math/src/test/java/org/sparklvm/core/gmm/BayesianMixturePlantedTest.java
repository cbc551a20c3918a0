package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.data.RowBlock;

/**
 * A Dirichlet-process mixture given 20 components for data of 4 well-separated ones keeps 4: the
 * others' expected weights fall below 1%. Started as the jobs start it: the E-step of a k-means++
 * mixture (soft responsibilities).
 */
class BayesianMixturePlantedTest {

  /** Four components whose covariances are of the family fitted (a diagonal model needs more
   * components than there are for correlated clusters, and so would a tied one for unequal ones). */
  private static GaussianMixtureModel fourComponents(CovarianceType type) {
    double[] weights = {0.4, 0.3, 0.2, 0.1};
    double[][] means = {{0, 0, 0}, {10, 0, 2}, {0, 10, -2}, {10, 10, 8}};
    double[][] full = {
      {1.0, 0.3, 0.0, 0.3, 1.0, 0.2, 0.0, 0.2, 1.0},
      {0.6, 0.1, 0.0, 0.1, 1.5, 0.0, 0.0, 0.0, 0.8},
      {1.2, -0.4, 0.1, -0.4, 0.9, 0.0, 0.1, 0.0, 0.7},
      {0.8, 0.0, 0.3, 0.0, 0.8, 0.0, 0.3, 0.0, 0.8},
    };
    double[][] covs = new double[4][];
    for (int c = 0; c < 4; c++) {
      covs[c] = switch (type) {
        case FULL -> full[c];
        case TIED -> full[0];
        case DIAG -> MaximizationStep.diagonal(new double[] {full[c][0], full[c][4], full[c][8]}, 3);
        case SPHERICAL -> MaximizationStep.diagonal(BayesTestData.filled(3, 0.5 + 0.3 * c), 3);
      };
    }
    return new GaussianMixtureModel(type, weights, means, covs);
  }

  @Test
  void dirichletProcessKeepsFourOfTwentyComponents() {
    for (CovarianceType type : CovarianceType.values()) {
      GaussianMixtureModel planted = fourComponents(type);
      List<RowBlock> blocks = TestData.draw(planted, 1200, 200, 7);
      RowBlock all = TestData.concat(blocks);
      int k = 20;
      EmSettings settings = new EmSettings(k, type, 500, 1e-5, 1e-6,
          EmSettings.Initialization.KMEANS_PLUS_PLUS, 1, 11);
      MixturePrior prior = MixturePrior.withDefaults(WeightPrior.DIRICHLET_PROCESS, type, k,
          BayesTestData.mean(all), BayesTestData.covariance(all), null, null, null, null, null);
      ExpectationMaximization.ExpectationPass pass = TestData.pass(blocks);
      GaussianMixtureModel start = Initializer.screened(all, settings, new Random(11));
      VariationalFit fit = VariationalBayes.run(pass.expect(start), pass, prior, settings,
          (i, b, s) -> { });
      assertTrue(fit.converged(), type + " did not converge in " + fit.iterations());
      assertEquals(4, fit.posterior().effectiveComponents(0.01),
          type + ": " + Arrays.toString(fit.posterior().expectedWeights()));
      double[] weights = fit.posterior().expectedWeights();
      for (int c = 0; c < k; c++) {
        if (weights[c] > 0.01) {
          double[] mu = fit.posterior().means()[c];
          int nearest = ExpectationMaximizationTest.nearest(planted, mu);
          for (int j = 0; j < 3; j++) {
            assertEquals(planted.mean(nearest)[j], mu[j], 0.25, type + " component " + c);
          }
          assertEquals(planted.weights()[nearest], weights[c], 0.04, type + " weight " + c);
        }
      }
    }
  }
}
