package org.sparklvm.jobs.store;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.sparklvm.core.model.ModelMetadata;
import org.sparklvm.core.model.VaeFormat;
import org.sparklvm.core.vae.VaeArchitecture;
import org.sparklvm.core.vae.VaeModel;

/**
 * A VAE model directory in memory: the trained network, its metadata and the sample its pictures
 * show.
 *
 * @param network the DL4J network (encoder layers, then the {@code ElboOutputLayer})
 * @param metadata its {@code metadata.json}
 * @param plotSample the points of its data pictures, or null
 */
public record StoredVae(MultiLayerNetwork network, ModelMetadata metadata, PlotSample plotSample) {

  public VaeArchitecture architecture() {
    return VaeFormat.architecture(metadata.params(), "model");
  }

  /** The network as encoder and decoder for the ELBO and importance-sampling estimators. */
  public VaeModel model() {
    return new VaeModel(network, architecture());
  }

  /**
   * The importance-sampled log-likelihood below which a fraction {@code q} of the held-out rows (or
   * training rows) fell when the model was trained.
   */
  public double anomalyThreshold(double q) {
    return VaeFormat.logLikelihoodQuantile(metadata.summary(), q, "model");
  }
}
