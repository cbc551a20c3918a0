package org.sparklvm.jobs.store;

import java.util.List;
import org.sparklvm.core.model.ModelMetadata;
import org.sparklvm.core.model.ModelSummary;

/**
 * A model directory in memory, of any kind: the model, its metadata and the sample its pictures show.
 *
 * @param kind what family the model is of
 * @param model the fitted model
 * @param metadata its {@code metadata.json}
 * @param plotSample the points of its data pictures, or null
 */
public record StoredModel<M, S extends ModelSummary>(ModelKind<M, S> kind, M model,
    ModelMetadata metadata, PlotSample plotSample) {

  /** The summary, typed: what the fit reached. */
  public S summary() {
    return ModelSummary.read(metadata.summary(), kind.summaryType(), "model");
  }

  /** The vector column the model was fitted on, or null when it was numeric columns. */
  public String featuresCol() {
    return metadata.featuresCol();
  }

  /** The numeric columns the model was fitted on, empty when it was a vector column. */
  public List<String> featureCols() {
    return metadata.featureCols();
  }

  /**
   * The log p(x) below which a fraction {@code q} of the model's reference rows fell.
   *
   * @throws IllegalArgumentException when {@code q} is outside (0, 1)
   * @throws org.sparklvm.core.model.ModelFormatException when the model holds no quantiles
   */
  public double anomalyThreshold(double q) {
    return summary().anomalyThreshold(q, "model");
  }

  public int dim() {
    return kind.dim(model);
  }
}
