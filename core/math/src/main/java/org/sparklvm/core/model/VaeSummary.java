package org.sparklvm.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Arrays;
import java.util.List;

/**
 * The summary of a VAE's training in {@code metadata.json}.
 *
 * @param epochs epochs trained
 * @param trainElboHistory mean training ELBO per row of each epoch
 * @param validationElboHistory mean held-out ELBO per row after each epoch (empty without a split)
 * @param validationElbo the last of those, or null
 * @param validationLogLikelihood mean importance-sampled log p(x) of the held-out rows, or null
 *     without a split
 * @param importanceSamples K of that estimate and of the quantiles
 * @param rows training rows
 * @param logLikelihoodQuantiles importance-sampled log p(x) quantiles of up to 10,000 held-out rows
 *     (training rows without a split)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VaeSummary(
    int epochs,
    List<Double> trainElboHistory,
    List<Double> validationElboHistory,
    Double validationElbo,
    Double validationLogLikelihood,
    int importanceSamples,
    long rows,
    QuantileTable logLikelihoodQuantiles) implements ModelSummary {

  public VaeSummary {
    trainElboHistory = trainElboHistory == null ? List.of() : List.copyOf(trainElboHistory);
    validationElboHistory =
        validationElboHistory == null ? List.of() : List.copyOf(validationElboHistory);
  }

  /**
   * The summary of a training run.
   *
   * @param reference importance-sampled log-likelihoods of held-out rows (training rows when none
   *     were held out): their mean is the validation log-likelihood, their quantiles the anomaly
   *     thresholds
   * @param heldOut whether {@code reference} comes from held-out rows
   */
  public static VaeSummary of(int epochs, List<Double> trainElbo, List<Double> validationElbo,
      double[] reference, boolean heldOut, int importanceSamples, long rows) {
    return new VaeSummary(epochs, trainElbo, validationElbo,
        validationElbo.isEmpty() ? null : validationElbo.get(validationElbo.size() - 1),
        heldOut ? Arrays.stream(reference).average().orElseThrow() : null, importanceSamples, rows,
        QuantileTable.of(reference, heldOut ? "validation" : "training"));
  }
}
