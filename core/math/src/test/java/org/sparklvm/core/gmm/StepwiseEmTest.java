package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.data.RowBlock;

class StepwiseEmTest {

  /**
   * From batch EM's start (a random one, far from the optimum: batch EM needs more than ten
   * iterations, full over a hundred), three passes of online EM over mini-batches of 200 rows reach
   * batch EM's converged mean log-likelihood within 0.01 nats per row, for every covariance family.
   */
  @Test
  void onlineEmReachesBatchEmWithinThreePasses() {
    for (CovarianceType type : CovarianceType.values()) {
      GaussianMixtureModel truth = TestData.planted(type);
      List<RowBlock> batches = TestData.draw(truth, 20_000, 200, 11);
      EmSettings settings = new EmSettings(3, type, 300, 1e-8, 1e-6,
          EmSettings.Initialization.RANDOM, 1, 3);
      GaussianMixtureModel start =
          Initializer.initialize(TestData.concat(batches).subsample(2000, new Random(3)), settings,
              new Random(3));
      ExpectationMaximization.ExpectationPass all = TestData.pass(batches);
      FitResult batch = ExpectationMaximization.run(start, all, settings, (i, l, t) -> { });
      FitResult online = StepwiseEm.run(start, inMemory(batches),
          new OnlineSettings(200, 0.6, 3), new EmSettings(3, type, 300, 0.0, 1e-6,
              EmSettings.Initialization.RANDOM, 1, 3), all, (p, l, s, t) -> { });
      assertEquals(3, online.iterations());
      assertEquals(20_000, online.rows());
      assertEquals(4, online.logLikelihoodHistory().size());
      assertTrue(batch.iterations() > 10, type + ": batch EM took " + batch.iterations());
      assertTrue(online.meanLogLikelihood() > batch.meanLogLikelihood() - 0.01,
          type + ": online " + online.meanLogLikelihood() + ", batch " + batch.meanLogLikelihood());
    }
  }

  /** The pass criterion stops online EM once a pass improves by less than the tolerance. */
  @Test
  void stopsWhenAPassImprovesByLessThanTheTolerance() {
    GaussianMixtureModel truth = TestData.planted(CovarianceType.DIAG);
    List<RowBlock> batches = TestData.draw(truth, 10_000, 1000, 12);
    EmSettings settings = new EmSettings(3, CovarianceType.DIAG, 100, 1e-2, 1e-6,
        EmSettings.Initialization.KMEANS_PLUS_PLUS, 1, 5);
    GaussianMixtureModel start =
        Initializer.initialize(batches.get(0), settings, new Random(5));
    FitResult fit = StepwiseEm.run(start, inMemory(batches), new OnlineSettings(1000, 0.6, 50),
        settings, null, (p, l, s, t) -> { });
    assertTrue(fit.converged());
    assertTrue(fit.iterations() < 50, "passes " + fit.iterations());
    List<Double> h = fit.logLikelihoodHistory();
    assertTrue(h.get(h.size() - 2) - h.get(h.size() - 3) < 1e-2);
  }

  @Test
  void aBatchTakenUnderAnotherMixtureIsRefused() {
    GaussianMixtureModel m = TestData.planted(CovarianceType.FULL);
    StepwiseEm em = new StepwiseEm(m, OnlineSettings.defaults(), 1e-6);
    RowBlock rows = TestData.draw(m, 100, 100, 1).get(0);
    em.step(new SufficientStatistics(m).add(rows));
    assertEquals(1, em.steps());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> em.step(new SufficientStatistics(m).add(rows)));
    assertTrue(e.getMessage().startsWith("a mini-batch must be taken under the current mixture"));
  }

  /** Step sizes {@code (t + 2)^-a}, and the range of {@code a}. */
  @Test
  void stepSizesFollowTheDecay() {
    assertEquals(0.5, new OnlineSettings(10, 1.0, 1).stepSize(0), 1e-15);
    assertEquals(Math.pow(12, -0.6), new OnlineSettings(10, 0.6, 1).stepSize(10), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> new OnlineSettings(10, 0.5, 1));
    assertThrows(IllegalArgumentException.class, () -> new OnlineSettings(10, 1.01, 1));
    assertThrows(IllegalArgumentException.class, () -> new OnlineSettings(0, 0.7, 1));
  }

  static StepwiseEm.MiniBatches inMemory(List<RowBlock> batches) {
    return new StepwiseEm.MiniBatches() {
      @Override
      public int count() {
        return batches.size();
      }

      @Override
      public SufficientStatistics expect(int batch, GaussianMixtureModel model) {
        return new SufficientStatistics(model).add(batches.get(batch));
      }
    };
  }
}
