package org.sparklvm.core.vae;

import java.util.Random;

/**
 * {@code N(mu, diag exp(logVariance))}: the amortised posterior {@code q(z|x)} of a variational
 * autoencoder, and, with zero mean and log-variance, its prior {@code p(z) = N(0, I)}.
 *
 * @param mean the mean {@code mu}
 * @param logVariance {@code log sigma^2}, element-wise
 */
public record DiagonalGaussian(double[] mean, double[] logVariance) {

  private static final double LOG_2PI = Math.log(2.0 * Math.PI);

  /**
   * @throws IllegalArgumentException when the lengths differ or a value is not finite
   */
  public DiagonalGaussian {
    if (mean.length != logVariance.length) {
      throw new IllegalArgumentException(
          "mean has " + mean.length + " entries but log-variance " + logVariance.length);
    }
    for (int i = 0; i < mean.length; i++) {
      if (!Double.isFinite(mean[i]) || !Double.isFinite(logVariance[i])) {
        throw new IllegalArgumentException("entry " + i + " is not finite: mean " + mean[i]
            + ", log-variance " + logVariance[i]);
      }
    }
  }

  /** The standard normal {@code N(0, I)} in {@code dim} dimensions. */
  public static DiagonalGaussian standard(int dim) {
    return new DiagonalGaussian(new double[dim], new double[dim]);
  }

  public int dim() {
    return mean.length;
  }

  /** {@code z = mu + sigma * eps} with {@code eps ~ N(0, I)} (the reparameterisation). */
  public void sample(Random random, double[] z) {
    for (int i = 0; i < mean.length; i++) {
      z[i] = mean[i] + Math.exp(0.5 * logVariance[i]) * random.nextGaussian();
    }
  }

  /** {@code log N(z | mu, diag sigma^2)}. */
  public double logDensity(double[] z) {
    double s = 0.0;
    for (int i = 0; i < mean.length; i++) {
      double t = z[i] - mean[i];
      s += LOG_2PI + logVariance[i] + t * t * Math.exp(-logVariance[i]);
    }
    return -0.5 * s;
  }

  /**
   * {@code KL(N(mu, diag sigma^2) || N(0, I)) = 1/2 sum (sigma^2 + mu^2 - 1 - log sigma^2)} (Kingma and
   * Welling 2014, appendix B).
   */
  public double klToStandardNormal() {
    double s = 0.0;
    for (int i = 0; i < mean.length; i++) {
      s += Math.exp(logVariance[i]) + mean[i] * mean[i] - 1.0 - logVariance[i];
    }
    return 0.5 * s;
  }
}
