package org.sparklvm.core.vae;

import java.util.Random;

/**
 * The evidence lower bound {@code ELBO(x) = E_q[log p(x|z)] - KL(q(z|x) || p(z)) <= log p(x)}: the
 * expected reconstruction by Monte Carlo over reparameterised draws {@code z = mu + sigma * eps}, the
 * KL term in closed form.
 *
 * @param elbo reconstruction minus KL
 * @param reconstruction the Monte Carlo estimate of {@code E_q[log p(x|z)]}
 * @param kl {@code KL(q(z|x) || N(0, I))}
 */
public record Elbo(double elbo, double reconstruction, double kl) {

  /**
   * @throws IllegalArgumentException when {@code samples < 1}
   */
  public static Elbo estimate(LatentGaussianModel model, double[] x, int samples, Random random) {
    return estimate(model, x, model.encode(x), samples, random);
  }

  /**
   * The ELBO of a given {@code q(z|x)} (a refined one, say) rather than the encoder's.
   *
   * @throws IllegalArgumentException when {@code samples < 1}
   */
  public static Elbo estimate(LatentGaussianModel model, double[] x, DiagonalGaussian q,
      int samples, Random random) {
    if (samples < 1) {
      throw new IllegalArgumentException("samples must be at least 1, got " + samples);
    }
    int l = model.latentDim();
    double[] z = new double[samples * l];
    double[] one = new double[l];
    for (int s = 0; s < samples; s++) {
      q.sample(random, one);
      System.arraycopy(one, 0, z, s * l, l);
    }
    double[] logLik = new double[samples];
    model.logLikelihood(x, z, samples, logLik);
    double reconstruction = 0.0;
    for (double v : logLik) {
      reconstruction += v / samples;
    }
    double kl = q.klToStandardNormal();
    return new Elbo(reconstruction - kl, reconstruction, kl);
  }
}
