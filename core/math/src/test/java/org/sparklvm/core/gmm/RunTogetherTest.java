package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.data.RowBlock;

/** Runs advanced together end as they would alone; the pruning rule drops what it says it drops. */
class RunTogetherTest {

  private static final List<Boolean> NO_REINIT = List.of(false, false, false, false, false, false);

  @Test
  void withoutPruningEveryRunEndsExactlyAsItWouldAlone() {
    for (CovarianceType type : CovarianceType.values()) {
      List<RowBlock> blocks = TestData.draw(TestData.planted(CovarianceType.FULL), 3000, 500, 5);
      RowBlock all = TestData.concat(blocks);
      EmSettings s = new EmSettings(4, type, 40, 1e-6, 1e-6, EmSettings.Initialization.RANDOM, 1, 3);
      Random random = new Random(3);
      List<GaussianMixtureModel> starts = new ArrayList<>();
      for (int r = 0; r < 4; r++) {
        starts.add(Initializer.initialize(all, s, random));
      }
      int[] passes = new int[1];
      ExpectationMaximization.MultiPass joint = models -> {
        passes[0]++;
        return ExpectationMaximization.MultiPass.each(TestData.pass(blocks)).expectAll(models);
      };
      List<ExpectationMaximization.Outcome> together = ExpectationMaximization.runTogether(starts,
          new int[4], joint, s, RestartPruning.NONE, (i, live, best, sec) -> { });
      int longest = 0;
      for (int r = 0; r < 4; r++) {
        FitResult alone = ExpectationMaximization.run(starts.get(r), TestData.pass(blocks), s,
            (i, l, t) -> { });
        FitResult shared = together.get(r).fit();
        assertFalse(together.get(r).dropped());
        assertEquals(alone.logLikelihoodHistory(), shared.logLikelihoodHistory(), type + " run " + r);
        assertEquals(alone.iterations(), shared.iterations());
        assertEquals(alone.converged(), shared.converged());
        assertArrayEquals(alone.model().weights(), shared.model().weights(), 0.0);
        for (int c = 0; c < 4; c++) {
          assertArrayEquals(alone.model().covariance(c), shared.model().covariance(c), 0.0);
        }
        longest = Math.max(longest, alone.iterations());
      }
      // One pass per iteration for all runs, not one per run.
      assertEquals(longest + 1, passes[0], type.id());
    }
  }

  @Test
  void theRuleComparesTheDeficitWithTheLargestRecentGainTimesTheIterationsLeft() {
    RestartPruning rule = new RestartPruning(5, 3, 0.0);
    // Gains 0.4, 0.2, 0.1, 0.05, 0.02: the window's largest is 0.1; 10 - 5 = 5 iterations left.
    List<Double> h = List.of(-10.0, -9.6, -9.4, -9.3, -9.25, -9.23);
    assertTrue(rule.drops(h, NO_REINIT, -9.23 + 0.51, 10));
    assertFalse(rule.drops(h, NO_REINIT, -9.23 + 0.49, 10));
    // With 100 iterations left the same deficit could be made up.
    assertFalse(rule.drops(h, NO_REINIT, -9.23 + 0.51, 100));
    // Never before minIterations, never across a reinitialisation in the window.
    assertFalse(new RestartPruning(6, 3, 0.0).drops(h, NO_REINIT, 0.0, 10));
    assertFalse(rule.drops(h, List.of(false, false, false, false, true, false), 0.0, 10));
    assertTrue(rule.drops(h, List.of(false, false, true, false, false, false), 0.0, 10));
    // The margin adds to the bound.
    assertFalse(new RestartPruning(5, 3, 0.1).drops(h, NO_REINIT, -9.23 + 0.55, 10));
    assertFalse(RestartPruning.NONE.drops(h, NO_REINIT, 0.0, 10));
    assertThrows(IllegalArgumentException.class, () -> new RestartPruning(0, 1, 0.0));
  }

  @Test
  void aStartStuckInAPoorMaximumIsDroppedAndTheBestRunIsUnchanged() {
    // Three unit clusters 20 apart along the first axis.
    GaussianMixtureModel truth = new GaussianMixtureModel(CovarianceType.FULL,
        new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0},
        new double[][] {{0, 0, 0}, {20, 0, 0}, {40, 0, 0}}, new double[][] {eye(1), eye(1), eye(1)});
    List<RowBlock> blocks = TestData.draw(truth, 6000, 1000, 11);
    RowBlock all = TestData.concat(blocks);
    EmSettings s = new EmSettings(3, CovarianceType.FULL, 100, 1e-8, 1e-6,
        EmSettings.Initialization.KMEANS_PLUS_PLUS, 1, 2);
    GaussianMixtureModel good = Initializer.initialize(all, s, new Random(2));
    // Two components share the cluster at 0 and one covers the other two: a poor local maximum
    // (one wide component where two narrow ones belong), about 1.2 nats per row below the truth.
    double[] wide = eye(1);
    wide[0] = 110;
    GaussianMixtureModel poor = new GaussianMixtureModel(CovarianceType.FULL,
        new double[] {1 / 6.0, 1 / 6.0, 2 / 3.0},
        new double[][] {{-0.5, 0, 0}, {0.5, 0, 0}, {30, 0, 0}}, new double[][] {eye(1), eye(1), wide});
    List<GaussianMixtureModel> starts = List.of(poor, good);
    ExpectationMaximization.MultiPass pass =
        ExpectationMaximization.MultiPass.each(TestData.pass(blocks));
    List<ExpectationMaximization.Outcome> pruned = ExpectationMaximization.runTogether(starts,
        new int[2], pass, s, RestartPruning.DEFAULT, (i, live, best, sec) -> { });
    List<ExpectationMaximization.Outcome> full = ExpectationMaximization.runTogether(starts,
        new int[2], pass, s, RestartPruning.NONE, (i, live, best, sec) -> { });
    assertTrue(full.get(0).fit().meanLogLikelihood() < full.get(1).fit().meanLogLikelihood() - 0.5,
        "the poor start should end well below the good one");
    assertTrue(pruned.get(0).dropped(), "the poor start was not dropped");
    assertTrue(pruned.get(0).fit().iterations() < full.get(0).fit().iterations());
    assertFalse(pruned.get(1).dropped());
    assertEquals(full.get(1).fit().logLikelihoodHistory(), pruned.get(1).fit().logLikelihoodHistory());
  }

  @Test
  void groupsArePrunedOnlyAgainstTheirOwnLeader() {
    List<RowBlock> blocks = TestData.draw(TestData.planted(CovarianceType.FULL), 3000, 1000, 12);
    RowBlock all = TestData.concat(blocks);
    EmSettings s = new EmSettings(3, CovarianceType.FULL, 100, 1e-4, 1e-6,
        EmSettings.Initialization.KMEANS_PLUS_PLUS, 1, 2);
    // k = 1 is far below k = 3 in log-likelihood, but alone in its group: never dropped.
    GaussianMixtureModel one = Initializer.initialize(all, s.withK(1), new Random(1));
    GaussianMixtureModel three = Initializer.initialize(all, s, new Random(1));
    List<ExpectationMaximization.Outcome> out = ExpectationMaximization.runTogether(
        List.of(one, three), new int[] {0, 1},
        ExpectationMaximization.MultiPass.each(TestData.pass(blocks)), s, RestartPruning.DEFAULT,
        (i, live, best, sec) -> { });
    assertFalse(out.get(0).dropped());
    assertTrue(out.get(0).fit().converged());
    assertTrue(out.get(0).fit().meanLogLikelihood() < out.get(1).fit().meanLogLikelihood() - 1.0);
  }

  private static double[] eye(double scale) {
    double[] m = new double[9];
    for (int j = 0; j < 3; j++) {
      m[j * 4] = scale;
    }
    return m;
  }
}
