package org.sparklvm.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a fit reached, as every model kind's summary in {@code metadata.json} says it: at least the
 * quantiles of log p(x) on the reference rows, from which scoring flags anomalies.
 */
public interface ModelSummary {

  /** Quantiles of log p(x) on the reference rows, or null in a model written before they existed. */
  QuantileTable logLikelihoodQuantiles();

  /**
   * The log p(x) below which a fraction {@code q} of the reference rows fell.
   *
   * @param where names the model in messages
   * @throws IllegalArgumentException when {@code q} is outside (0, 1)
   * @throws ModelFormatException when the model holds no quantiles
   */
  default double anomalyThreshold(double q, String where) {
    QuantileTable table = logLikelihoodQuantiles();
    if (table == null) {
      if (!(q > 0.0 && q < 1.0)) {
        throw new IllegalArgumentException("anomaly quantile must be in (0, 1), got " + q);
      }
      throw new ModelFormatException(where + " holds no quantiles of log p(x) on its reference rows"
          + " (logLikelihoodQuantiles); refit it to flag anomalies");
    }
    return table.threshold(q);
  }

  /** The summary as the JSON object stored in {@code metadata.json}. */
  default ObjectNode toJson() {
    return ModelMetadata.JSON.valueToTree(this);
  }

  /**
   * Reads a kind's summary; fields it does not know are ignored, missing ones are null or zero.
   *
   * @throws ModelFormatException naming the file when a field has the wrong type
   */
  static <S extends ModelSummary> S read(ObjectNode json, Class<S> type, String where) {
    try {
      return ModelMetadata.JSON.treeToValue(json, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new ModelFormatException(where + ": the summary cannot be read: "
          + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
    }
  }
}
