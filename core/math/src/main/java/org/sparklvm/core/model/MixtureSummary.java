package org.sparklvm.core.model;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.sparklvm.core.gmm.FitResult;

/**
 * The summary of a mixture fit in {@code metadata.json}.
 *
 * @param iterations EM iterations of the kept run
 * @param converged whether it met the tolerance
 * @param meanLogLikelihood mean log p(x) per unit weight of the training rows
 * @param logLikelihoodHistory that mean at the start and after each iteration
 * @param bic Bayesian information criterion (lower is better)
 * @param aic Akaike information criterion (lower is better)
 * @param rows training rows
 * @param totalWeight sum of their weights
 * @param freeParameters free parameters of the mixture
 * @param reinitializedComponents how often a collapsed component was reinitialised
 * @param logLikelihoodQuantiles log p(x) quantiles of the training rows (read from {@code
 *     logDensityQuantiles} in models written before the two families shared the name)
 * @param selection the grid {@code gmm select} compared, or null for a plain fit
 * @param version the number of a model a streamed fit ({@code gmm fit --online --stream})
 *     published, counted from 1; null for every other fit
 * @param lowerBound a variational Bayesian fit's ({@code gmm fit --prior}) final evidence lower
 *     bound per unit weight (scikit-learn's {@code lower_bound_} divided by the total weight); null
 *     for EM
 * @param lowerBoundHistory that bound after each iteration; null for EM
 * @param effectiveComponents components of a variational fit whose expected weight exceeds {@code
 *     effectiveThreshold}; null for EM
 * @param effectiveThreshold the weight a component must exceed to count as effective; null for EM
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MixtureSummary(
    int iterations,
    boolean converged,
    double meanLogLikelihood,
    List<Double> logLikelihoodHistory,
    double bic,
    double aic,
    long rows,
    double totalWeight,
    long freeParameters,
    int reinitializedComponents,
    @JsonAlias("logDensityQuantiles") QuantileTable logLikelihoodQuantiles,
    List<Candidate> selection,
    Long version,
    Double lowerBound,
    List<Double> lowerBoundHistory,
    Integer effectiveComponents,
    Double effectiveThreshold) implements ModelSummary {

  /** One fitted candidate of {@code gmm select}'s grid. */
  public record Candidate(int k, String covarianceType, double bic, double aic,
      double meanLogLikelihood, int iterations, boolean converged) {}

  public MixtureSummary {
    logLikelihoodHistory = logLikelihoodHistory == null ? List.of()
        : List.copyOf(logLikelihoodHistory);
    selection = selection == null ? null : List.copyOf(selection);
    lowerBoundHistory = lowerBoundHistory == null ? null : List.copyOf(lowerBoundHistory);
  }

  /** The summary of an EM run, with the quantiles of its training rows' log p(x). */
  public static MixtureSummary of(FitResult fit, QuantileTable quantiles) {
    return new MixtureSummary(fit.iterations(), fit.converged(), fit.meanLogLikelihood(),
        fit.logLikelihoodHistory(), fit.bic(), fit.aic(), fit.rows(), fit.totalWeight(),
        fit.model().freeParameters(), fit.reinitializations(), quantiles, null, null, null, null,
        null, null);
  }

  /**
   * The same summary with a variational fit's bound and effective components.
   *
   * @param history the bound per unit weight after each iteration, the last the final one
   * @throws IllegalArgumentException when the history is empty
   */
  public MixtureSummary withVariational(List<Double> history, int effective, double threshold) {
    if (history.isEmpty()) {
      throw new IllegalArgumentException("a variational fit has at least one bound");
    }
    return new MixtureSummary(iterations, converged, meanLogLikelihood, logLikelihoodHistory, bic,
        aic, rows, totalWeight, freeParameters, reinitializedComponents, logLikelihoodQuantiles,
        selection, version, history.get(history.size() - 1), history, effective, threshold);
  }

  /** The same summary with the grid {@code gmm select} compared. */
  public MixtureSummary withSelection(List<Candidate> grid) {
    return new MixtureSummary(iterations, converged, meanLogLikelihood, logLikelihoodHistory, bic,
        aic, rows, totalWeight, freeParameters, reinitializedComponents, logLikelihoodQuantiles,
        grid, version, lowerBound, lowerBoundHistory, effectiveComponents, effectiveThreshold);
  }

  /** The same summary as the {@code n}-th model a streamed fit published. */
  public MixtureSummary withVersion(long n) {
    return new MixtureSummary(iterations, converged, meanLogLikelihood, logLikelihoodHistory, bic,
        aic, rows, totalWeight, freeParameters, reinitializedComponents, logLikelihoodQuantiles,
        selection, n, lowerBound, lowerBoundHistory, effectiveComponents, effectiveThreshold);
  }
}
