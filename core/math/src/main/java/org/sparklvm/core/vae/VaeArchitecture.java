package org.sparklvm.core.vae;

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
 * @param objective the bound trained on
 * @param samples Monte Carlo samples of z per row in the objective (K)
 * @param beta weight of the KL term
 * @param learningRate Adam's step size
 * @param maxBatch stored in the ELBO layer's configuration, where the SameDiff layer of format 1 drew
 *     its noise at this size; no longer a limit
 * @param seed initialisation seed
 */
public record VaeArchitecture(int inputDim, int latentDim, int[] encoderLayers, int[] decoderLayers,
    Likelihood likelihood, Objective objective, int samples, double beta, double learningRate, int maxBatch, long seed)
    implements java.io.Serializable {

  /**
   * @throws IllegalArgumentException naming the first value out of range (the ranges of {@link
   *     VaeSettings})
   */
  public VaeArchitecture {
    if (inputDim < 1 || maxBatch < 1) {
      throw new IllegalArgumentException(
          "input dimension and maxBatch must be positive, got " + inputDim + " and " + maxBatch);
    }
    VaeSettings.LATENT_DIM.check(latentDim);
    encoderLayers = VaeSettings.ENCODER.check(encoderLayers).clone();
    decoderLayers = VaeSettings.DECODER.check(decoderLayers).clone();
    if (likelihood == null) {
      throw new IllegalArgumentException("a likelihood is required");
    }
    if (objective == null) {
      throw new IllegalArgumentException("an objective is required");
    }
    VaeSettings.SAMPLES.check(samples);
    VaeSettings.BETA.check(beta);
    VaeSettings.LEARNING_RATE.check(learningRate);
  }

  /** An ELBO-trained architecture: the form of every model saved before the objective was a choice. */
  public VaeArchitecture(int inputDim, int latentDim, int[] encoderLayers, int[] decoderLayers,
      Likelihood likelihood, int samples, double beta, double learningRate, int maxBatch, long seed) {
    this(inputDim, latentDim, encoderLayers, decoderLayers, likelihood, Objective.ELBO, samples,
        beta, learningRate, maxBatch, seed);
  }

  /** Index of the layer whose activations are {@code [mu, log sigma^2]}. */
  public int latentLayer() {
    return encoderLayers.length;
  }
}
