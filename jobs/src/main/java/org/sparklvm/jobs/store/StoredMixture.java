package org.sparklvm.jobs.store;

import java.util.List;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.model.MixtureFormat;
import org.sparklvm.core.model.ModelMetadata;

/**
 * A mixture model directory in memory: the mixture, its metadata and the sample its pictures show.
 *
 * @param model the mixture
 * @param metadata its {@code metadata.json}
 * @param plotSample the points of its data pictures, or null
 */
public record StoredMixture(GaussianMixtureModel model, ModelMetadata metadata,
    PlotSample plotSample) {

  /** The vector column the model was fitted on, or null when it was numeric columns. */
  public String featuresCol() {
    return metadata.featuresCol();
  }

  /** The numeric columns the model was fitted on, empty when it was a vector column. */
  public List<String> featureCols() {
    return metadata.featureCols();
  }

  /** The log-density below which a fraction {@code q} of the training rows fell. */
  public double anomalyThreshold(double q) {
    return MixtureFormat.logDensityQuantile(metadata.summary(), q, "model");
  }
}
