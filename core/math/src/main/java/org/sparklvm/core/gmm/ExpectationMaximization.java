package org.sparklvm.core.gmm;

import java.util.ArrayList;
import java.util.List;

/**
 * The EM loop, independent of where the rows live: an {@link ExpectationPass} turns a mixture into the
 * sufficient statistics of all rows (in one JVM, or merged across a cluster), the M-step runs here.
 *
 * <p>Several runs (the restarts of {@code --n-init}, the candidates of a model selection) can be
 * advanced together: one {@link MultiPass} per iteration computes the statistics of every live run, and
 * each run keeps its own state, so with {@link RestartPruning#NONE} every run ends exactly as it would
 * alone. Runs are grouped (the restarts of one k and covariance type); a {@link RestartPruning} drops a
 * run that is clearly losing to the best of its group.
 */
public final class ExpectationMaximization {

  /** One pass over all rows under a fixed mixture. */
  @FunctionalInterface
  public interface ExpectationPass {
    SufficientStatistics expect(GaussianMixtureModel model);
  }

  /** One pass over all rows computing the statistics under each of several mixtures. */
  @FunctionalInterface
  public interface MultiPass {
    /** The statistics under {@code models.get(i)} at index {@code i}. */
    List<SufficientStatistics> expectAll(List<GaussianMixtureModel> models);

    /** A multi-pass that makes one single pass per mixture, one after another. */
    static MultiPass each(ExpectationPass pass) {
      return models -> models.stream().map(pass::expect).toList();
    }
  }

  /** Told of every iteration, for progress logs. */
  @FunctionalInterface
  public interface Listener {
    void iteration(int iteration, double meanLogLikelihood, double seconds);
  }

  /** Told of every shared pass and of every run that ends, for progress logs. */
  @FunctionalInterface
  public interface RoundListener {
    /**
     * @param iteration the iteration every live run has just finished (0: the pass over the starts)
     * @param live runs still going after this pass
     * @param best the best mean log-likelihood among the runs not dropped
     * @param seconds the pass's duration, M-steps included
     */
    void round(int iteration, int live, double best, double seconds);

    /** Run {@code index} ended: converged, at the iteration limit, or dropped. */
    default void ended(int index, Outcome outcome) {}
  }

  /**
   * How one of several runs ended.
   *
   * @param fit its last state (for a dropped run, where it was when dropped)
   * @param dropped whether the pruning rule stopped it
   */
  public record Outcome(FitResult fit, boolean dropped) {}

  private ExpectationMaximization() {}

  /**
   * Runs EM from {@code start} until the mean log-likelihood changes by less than the tolerance (never
   * on an iteration that reinitialised a component) or the iteration limit.
   */
  public static FitResult run(
      GaussianMixtureModel start, ExpectationPass pass, EmSettings settings, Listener listener) {
    return runTogether(List.of(start), new int[] {0}, MultiPass.each(pass), settings,
        RestartPruning.NONE, (it, live, best, sec) -> listener.iteration(it, best, sec))
        .get(0).fit();
  }

  /**
   * Runs EM from every start at once, one {@code pass} per iteration for all live runs; each run stops
   * by the rule of {@link #run}, or when {@code pruning} drops it against the leader of its group.
   *
   * @param groups the group of each start (same length as {@code starts})
   * @return every run's outcome, in the order of {@code starts}
   * @throws IllegalArgumentException when {@code groups} and {@code starts} differ in length
   */
  public static List<Outcome> runTogether(List<GaussianMixtureModel> starts, int[] groups,
      MultiPass pass, EmSettings settings, RestartPruning pruning, RoundListener listener) {
    if (groups.length != starts.size() || starts.isEmpty()) {
      throw new IllegalArgumentException(
          starts.size() + " starts but " + groups.length + " groups");
    }
    long t0 = System.nanoTime();
    List<Run> runs = new ArrayList<>();
    List<SufficientStatistics> first = pass.expectAll(starts);
    for (int i = 0; i < starts.size(); i++) {
      runs.add(new Run(groups[i], starts.get(i), first.get(i)));
    }
    int iteration = 0;
    listener.round(0, runs.size(), best(runs), seconds(t0));
    endRuns(runs, settings, pruning, listener);
    while (runs.stream().anyMatch(Run::live)) {
      long t = System.nanoTime();
      iteration++;
      List<Run> live = runs.stream().filter(Run::live).toList();
      List<GaussianMixtureModel> models = new ArrayList<>();
      for (Run r : live) {
        models.add(r.maximize(settings.regCovar()));
      }
      List<SufficientStatistics> stats = pass.expectAll(models);
      for (int i = 0; i < live.size(); i++) {
        live.get(i).accept(stats.get(i), settings.tolerance());
      }
      endRuns(runs, settings, pruning, listener);
      listener.round(iteration, (int) runs.stream().filter(Run::live).count(), best(runs),
          seconds(t));
    }
    return runs.stream().map(Run::outcome).toList();
  }

  /** Ends the runs that converged, reached the limit, or lose by {@code pruning}'s rule. */
  private static void endRuns(List<Run> runs, EmSettings settings, RestartPruning pruning,
      RoundListener listener) {
    List<Run> drop = new ArrayList<>();
    for (Run r : runs) {
      if (r.live() && !r.converged && r.iterations() < settings.maxIterations()) {
        double leader = leader(runs, r.group);
        if (r.current() < leader
            && pruning.drops(r.history, r.reinitializedAt, leader, settings.maxIterations())) {
          drop.add(r);
        }
      }
    }
    // Decided against the same leaders before any is marked, so the order of runs does not matter.
    drop.forEach(r -> r.dropped = true);
    for (int i = 0; i < runs.size(); i++) {
      Run r = runs.get(i);
      if (!r.ended && (r.dropped || r.converged || r.iterations() >= settings.maxIterations())) {
        r.ended = true;
        listener.ended(i, r.outcome());
      }
    }
  }

  private static double leader(List<Run> runs, int group) {
    double best = Double.NEGATIVE_INFINITY;
    for (Run r : runs) {
      if (r.group == group && !r.dropped) {
        best = Math.max(best, r.current());
      }
    }
    return best;
  }

  private static double best(List<Run> runs) {
    return runs.stream().filter(r -> !r.dropped).mapToDouble(Run::current).max()
        .orElse(Double.NaN);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  /** One run's state between passes. */
  private static final class Run {
    final int group;
    final List<Double> history = new ArrayList<>();
    final List<Boolean> reinitializedAt = new ArrayList<>();
    GaussianMixtureModel model;
    SufficientStatistics stats;
    boolean converged;
    boolean dropped;
    boolean ended;
    int reinitializations;
    private boolean lastReinitialized;

    Run(int group, GaussianMixtureModel start, SufficientStatistics stats) {
      this.group = group;
      this.model = start;
      this.stats = stats;
      history.add(stats.meanLogLikelihood());
      reinitializedAt.add(false);
    }

    boolean live() {
      return !ended;
    }

    int iterations() {
      return history.size() - 1;
    }

    double current() {
      return history.get(history.size() - 1);
    }

    GaussianMixtureModel maximize(double regCovar) {
      MaximizationStep.Result m = MaximizationStep.apply(stats, regCovar);
      model = m.model();
      reinitializations += m.reinitialized().size();
      lastReinitialized = !m.reinitialized().isEmpty();
      return model;
    }

    void accept(SufficientStatistics next, double tolerance) {
      double previous = stats.meanLogLikelihood();
      stats = next;
      double now = next.meanLogLikelihood();
      history.add(now);
      reinitializedAt.add(lastReinitialized);
      converged = !lastReinitialized && Math.abs(now - previous) < tolerance;
    }

    Outcome outcome() {
      return new Outcome(new FitResult(model, iterations(), converged, history,
          stats.totalWeight(), stats.rows(), reinitializations), dropped);
    }
  }
}
