package org.sparklvm.core.gmm;

import java.util.ArrayList;
import java.util.List;

/**
 * The EM loop, independent of where the rows live: an {@link ExpectationPass} turns a mixture into the
 * sufficient statistics of all rows (in one JVM, or merged across a cluster), the M-step runs here.
 */
public final class ExpectationMaximization {

  /** One pass over all rows under a fixed mixture. */
  @FunctionalInterface
  public interface ExpectationPass {
    SufficientStatistics expect(GaussianMixtureModel model);
  }

  /** Told of every iteration, for progress logs. */
  @FunctionalInterface
  public interface Listener {
    void iteration(int iteration, double meanLogLikelihood, double seconds);
  }

  private ExpectationMaximization() {}

  /**
   * Runs EM from {@code start} until the mean log-likelihood changes by less than the tolerance (never
   * on an iteration that reinitialised a component) or the iteration limit.
   */
  public static FitResult run(
      GaussianMixtureModel start, ExpectationPass pass, EmSettings settings, Listener listener) {
    long t0 = System.nanoTime();
    SufficientStatistics stats = pass.expect(start);
    List<Double> history = new ArrayList<>();
    history.add(stats.meanLogLikelihood());
    listener.iteration(0, stats.meanLogLikelihood(), (System.nanoTime() - t0) / 1e9);
    GaussianMixtureModel model = start;
    boolean converged = false;
    int iteration = 0;
    int reinitializations = 0;
    while (iteration < settings.maxIterations() && !converged) {
      long t = System.nanoTime();
      iteration++;
      MaximizationStep.Result m = MaximizationStep.apply(stats, settings.regCovar());
      model = m.model();
      reinitializations += m.reinitialized().size();
      double previous = stats.meanLogLikelihood();
      stats = pass.expect(model);
      double current = stats.meanLogLikelihood();
      history.add(current);
      converged = m.reinitialized().isEmpty() && Math.abs(current - previous) < settings.tolerance();
      listener.iteration(iteration, current, (System.nanoTime() - t) / 1e9);
    }
    return new FitResult(
        model, iteration, converged, history, stats.totalWeight(), stats.rows(), reinitializations);
  }
}
