package org.sparklvm.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.FitResult;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.gmm.RestartPruning;

/** The replay decides as the shared run would, on histories worked out by hand. */
class RestartBenchmarkTest {

  private static final GaussianMixtureModel ANY = new GaussianMixtureModel(CovarianceType.DIAG,
      new double[] {1.0}, new double[][] {{0.0}}, new double[][] {{1.0}});

  private static FitResult run(Double... history) {
    return new FitResult(ANY, history.length - 1, true, List.of(history), 100, 100, 0);
  }

  @Test
  void dropsARunThatCannotCatchUpInTheIterationsLeftAndNeverTheLeader() {
    RestartPruning rule = new RestartPruning(3, 2, 0.0);
    FitResult leader = run(-5.0, -3.0, -2.0, -1.9, -1.89, -1.889);
    // At iteration 3 behind by 1.0 with gains of at most 0.1 and 7 left: 0.7 < 1.0, dropped.
    FitResult slow = run(-5.0, -3.1, -3.0, -2.9, -2.899, -2.8989);
    // Behind by 0.4 at iteration 3 with gains 0.2, 0.5 in the window: 3.5 could be made up; at 4
    // by 0.31 with 0.5, 0.1: 3.0 could; at 5 it has ended (its last iteration is never judged).
    FitResult close = run(-5.0, -3.0, -2.8, -2.3, -2.2, -2.199);
    // A run that ends (converges) at iteration 3 is never dropped after it.
    FitResult brief = run(-5.0, -4.0, -3.9, -3.89);
    int[] dropped = RestartBenchmark.replay(List.of(leader, slow, close, brief), rule, 10);
    assertArrayEquals(new int[] {-1, 3, -1, -1}, dropped);
  }
}
