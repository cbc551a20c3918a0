package org.sparklvm.core.vae;

/**
 * A generative model {@code p(x) = integral p(z) p(x|z) dz} with prior {@code p(z) = N(0, I)}, and an
 * amortised Gaussian posterior approximation {@code q(z|x)}: what the ELBO and the importance-sampled
 * marginal likelihood need of a variational autoencoder, or of a model whose marginal is known in
 * closed form (probabilistic PCA) to test them against.
 */
public interface LatentGaussianModel {

  /** Dimension of {@code z}. */
  int latentDim();

  /** The encoder: {@code q(z|x)}. */
  DiagonalGaussian encode(double[] x);

  /**
   * The decoder's {@code log p(x | z_s)} for each of {@code count} latent codes stored row-major in
   * {@code z} ({@code count x latentDim}), into {@code out}. Batched, because a network decodes many
   * codes at once far faster than one at a time.
   */
  void logLikelihood(double[] x, double[] z, int count, double[] out);
}
