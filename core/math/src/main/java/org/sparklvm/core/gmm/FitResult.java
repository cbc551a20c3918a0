package org.sparklvm.core.gmm;

import java.util.List;

/**
 * The outcome of one EM run.
 *
 * @param model the fitted mixture
 * @param iterations M-steps taken
 * @param converged whether the tolerance was met before the iteration limit
 * @param logLikelihoodHistory mean log-likelihood per unit weight of the starting mixture, then after
 *     each iteration; the last entry is the fitted model's
 * @param totalWeight sum of the row weights (the row count when unweighted)
 * @param rows number of rows
 * @param reinitializations how many times a collapsed component was reinitialised
 */
public record FitResult(
    GaussianMixtureModel model,
    int iterations,
    boolean converged,
    List<Double> logLikelihoodHistory,
    double totalWeight,
    long rows,
    int reinitializations) {

  public FitResult {
    logLikelihoodHistory = List.copyOf(logLikelihoodHistory);
  }

  /** Mean log-likelihood per unit weight of the fitted model. */
  public double meanLogLikelihood() {
    return logLikelihoodHistory.get(logLikelihoodHistory.size() - 1);
  }

  /** Bayesian information criterion {@code -2 log L + p ln n} (lower is better). */
  public double bic() {
    return -2.0 * meanLogLikelihood() * totalWeight + model.freeParameters() * Math.log(totalWeight);
  }

  /** Akaike information criterion {@code -2 log L + 2 p} (lower is better). */
  public double aic() {
    return -2.0 * meanLogLikelihood() * totalWeight + 2.0 * model.freeParameters();
  }
}
