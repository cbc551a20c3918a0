package org.sparklvm.jobs.vae;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.sparklvm.core.vae.VaeArchitecture;
import org.sparklvm.core.vae.VaeModel;

/**
 * A trained VAE: the DL4J network (encoder layers, then the {@code ElboOutputLayer}, with its updater
 * state so training can go on) and the architecture it was built from.
 */
public record TrainedVae(MultiLayerNetwork network, VaeArchitecture architecture) {

  /** The network as encoder and decoder for the ELBO and importance-sampling estimators. */
  public VaeModel latentModel() {
    return new VaeModel(network, architecture);
  }
}
