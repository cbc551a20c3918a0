package org.sparklvm.core.vae;

import java.util.Arrays;

/**
 * The shape of a variational autoencoder and how it learns: encoder ReLU layers to {@code [mu, log
 * sigma^2]}, then the decoder and the loss (the network itself is built from this in the network
 * module).
 *
 * @param inputDim dimension of x
 * @param latentDim dimension of z
 * @param encoderLayers hidden sizes of the encoder, input side first
 * @param decoderLayers hidden sizes of the decoder, latent side first
 * @param likelihood the observation model
 * @param samples Monte Carlo samples of z per row in the ELBO
 * @param beta weight of the KL term
 * @param learningRate Adam's step size
 * @param maxBatch largest minibatch the network will see (noise is drawn at this size)
 * @param seed initialisation seed
 */
public record VaeArchitecture(int inputDim, int latentDim, int[] encoderLayers, int[] decoderLayers,
    Likelihood likelihood, int samples, double beta, double learningRate, int maxBatch, long seed)
    implements java.io.Serializable {

  /**
   * @throws IllegalArgumentException naming the first value out of range
   */
  public VaeArchitecture {
    if (inputDim < 1 || latentDim < 1) {
      throw new IllegalArgumentException(
          "input and latent dimensions must be positive, got " + inputDim + " and " + latentDim);
    }
    if (Arrays.stream(encoderLayers).anyMatch(h -> h < 1)
        || Arrays.stream(decoderLayers).anyMatch(h -> h < 1)) {
      throw new IllegalArgumentException("layer sizes must be positive: encoder "
          + Arrays.toString(encoderLayers) + ", decoder " + Arrays.toString(decoderLayers));
    }
    if (samples < 1 || !(beta >= 0) || !(learningRate > 0) || maxBatch < 1) {
      throw new IllegalArgumentException("samples " + samples + ", beta " + beta
          + ", learning rate " + learningRate + " and maxBatch " + maxBatch + " must be positive");
    }
    encoderLayers = encoderLayers.clone();
    decoderLayers = decoderLayers.clone();
  }

  /** Index of the layer whose activations are {@code [mu, log sigma^2]}. */
  public int latentLayer() {
    return encoderLayers.length;
  }
}
