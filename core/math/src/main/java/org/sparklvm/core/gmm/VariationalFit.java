package org.sparklvm.core.gmm;

import java.util.List;

/**
 * The outcome of one variational fit of a Bayesian Gaussian mixture.
 *
 * @param posterior the final variational posterior
 * @param iterations M-steps taken after the initial one
 * @param converged whether the lower bound per unit weight changed by less than the tolerance before
 *     the iteration limit
 * @param lowerBoundHistory the lower bound per unit weight (scikit-learn's {@code lower_bound_} divided
 *     by the total weight) after each iteration; the last entry is the final one
 * @param meanLogLikelihood {@code sum w log p(x) / sum w} of the training rows under the scoring
 *     density {@link VariationalPosterior#expectedMixture()}
 * @param totalWeight sum of the row weights (the row count when unweighted)
 * @param rows number of rows
 */
public record VariationalFit(
    VariationalPosterior posterior,
    int iterations,
    boolean converged,
    List<Double> lowerBoundHistory,
    double meanLogLikelihood,
    double totalWeight,
    long rows) {

  public VariationalFit {
    lowerBoundHistory = List.copyOf(lowerBoundHistory);
  }

  /** The scoring density: {@code posterior.expectedMixture()}. */
  public GaussianMixtureModel model() {
    return posterior.expectedMixture();
  }

  /** The final lower bound per unit weight (NaN when no iteration ran). */
  public double lowerBound() {
    return lowerBoundHistory.isEmpty() ? Double.NaN
        : lowerBoundHistory.get(lowerBoundHistory.size() - 1);
  }

  /**
   * The fit as code that summarises EM fits reads it: the scoring density, the iterations, and a
   * history of one entry, the training rows' mean log-likelihood under that density (BIC and AIC are
   * then those of the expected parameters, with all {@code k} components counted).
   */
  public FitResult fitResult() {
    return new FitResult(model(), iterations, converged, List.of(meanLogLikelihood), totalWeight,
        rows, 0);
  }
}
