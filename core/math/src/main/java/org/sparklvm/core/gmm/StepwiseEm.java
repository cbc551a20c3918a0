package org.sparklvm.core.gmm;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Online (stepwise) EM (Cappe and Moulines 2009; Liang and Klein 2009): after mini-batch {@code t},
 * whose statistics {@code s_hat} are taken under the current mixture, the running statistics become
 * {@code s <- (1 - gamma_t) s + gamma_t s_hat} with {@code gamma_t = (t + 2)^-a}, and the mixture
 * their M-step. The running statistics start empty, so the first batch alone decides the first step
 * (the M-step does not depend on the statistics' scale). Each pass visits the mini-batches in a new
 * random order; a data set is read {@code passes} times instead of once per EM iteration.
 */
public final class StepwiseEm {

  /** The mini-batches of one data set, each summarised under a given mixture (in one JVM or a cluster). */
  public interface MiniBatches {
    /** How many mini-batches one pass visits. */
    int count();

    /** The E-step's statistics of mini-batch {@code batch} under {@code model}. */
    SufficientStatistics expect(int batch, GaussianMixtureModel model);
  }

  /** Told of every pass, for progress logs. */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param meanLogLikelihood the pass's mean log-likelihood per unit weight, each row scored under
     *     the mixture before its batch's step
     */
    void pass(int pass, double meanLogLikelihood, long steps, double seconds);
  }

  private final OnlineSettings online;
  private final double regCovar;
  private GaussianMixtureModel model;
  private RunningStatistics running;
  private long steps;
  private int reinitializations;

  /** Stepwise EM from {@code start}, no batch seen yet. */
  public StepwiseEm(GaussianMixtureModel start, OnlineSettings online, double regCovar) {
    this.online = online;
    this.regCovar = regCovar;
    this.model = start;
    this.running = new RunningStatistics(start.covarianceType(), start.k(), start.dim());
  }

  /**
   * Blends in one mini-batch and takes the M-step. A batch without weight changes nothing. When the
   * M-step reinitialises a collapsed component, the running statistics restart from those the new
   * mixture is the M-step of, so the split components are not pulled back by the old averages.
   *
   * @param batch statistics taken under {@link #model()}
   * @return the M-step's result (the new mixture and any reinitialised components)
   * @throws IllegalArgumentException when the batch was taken under another mixture
   * @throws MaximizationStep.CollapseException when no healthy component is left
   */
  public MaximizationStep.Result step(SufficientStatistics batch) {
    if (!model.hasSameParameters(batch.model())) {
      throw new IllegalArgumentException("a mini-batch must be taken under the current mixture "
          + model + ", not " + batch.model());
    }
    if (!(batch.totalWeight() > 0.0)) {
      return new MaximizationStep.Result(model, List.of());
    }
    running.blend(batch, online.stepSize(steps));
    steps++;
    MaximizationStep.Result m = MaximizationStep.apply(running.toStatistics(model), regCovar);
    model = m.model();
    if (!m.reinitialized().isEmpty()) {
      reinitializations += m.reinitialized().size();
      running = RunningStatistics.implied(model, regCovar);
    }
    return m;
  }

  /** The current mixture: the start, or the M-step of the last batch. */
  public GaussianMixtureModel model() {
    return model;
  }

  /** Mini-batches taken so far. */
  public long steps() {
    return steps;
  }

  /** Components reinitialised so far. */
  public int reinitializations() {
    return reinitializations;
  }

  /**
   * Runs passes over {@code batches} until the pass's mean log-likelihood improves by less than the
   * tolerance over the previous pass's, or {@code maxPasses}; then, when {@code evaluation} is given,
   * scores the fitted mixture on every row once more for its exact mean log-likelihood.
   *
   * @param evaluation one E-step over all rows, or null to report the last pass's figure
   * @return the fit: {@code iterations} are passes; the history holds each pass's mean
   *     log-likelihood (rows scored as they were seen) and, last, the fitted mixture's (exact with an
   *     evaluation pass)
   */
  public static FitResult run(GaussianMixtureModel start, MiniBatches batches, OnlineSettings online,
      EmSettings settings, ExpectationMaximization.ExpectationPass evaluation, Listener listener) {
    StepwiseEm em = new StepwiseEm(start, online, settings.regCovar());
    Random random = new Random(settings.seed());
    List<Double> history = new ArrayList<>();
    boolean converged = false;
    int pass = 0;
    double weight = 0.0;
    long rows = 0;
    while (pass < online.maxPasses() && !converged) {
      long t0 = System.nanoTime();
      pass++;
      int reinitialized = em.reinitializations();
      double logLikelihood = 0.0;
      weight = 0.0;
      rows = 0;
      for (int b : permutation(batches.count(), random)) {
        SufficientStatistics s = batches.expect(b, em.model());
        logLikelihood += s.logLikelihood();
        weight += s.totalWeight();
        rows += s.rows();
        em.step(s);
      }
      double current = logLikelihood / weight;
      converged = !history.isEmpty() && em.reinitializations() == reinitialized
          && current - history.get(history.size() - 1) < settings.tolerance();
      history.add(current);
      listener.pass(pass, current, em.steps(), (System.nanoTime() - t0) / 1e9);
    }
    if (evaluation != null) {
      SufficientStatistics all = evaluation.expect(em.model());
      history.add(all.meanLogLikelihood());
      weight = all.totalWeight();
      rows = all.rows();
    } else {
      history.add(history.get(history.size() - 1));
    }
    return new FitResult(em.model(), pass, converged, history, weight, rows,
        em.reinitializations());
  }

  private static int[] permutation(int n, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
