package org.sparklvm.core.vae;

import java.util.Random;

/**
 * The importance-sampled estimate of {@code log p(x) = log (1/K) sum_k p(x, z_k) / r(z_k)}, with the
 * proposal {@code r} either the encoder's {@code q(z|x)} (the IWAE bound of Burda et al. 2016, which
 * rises towards {@code log p(x)} as K grows) or the prior {@code p(z)} (naive Monte Carlo, kept for
 * comparison). The weights are combined in log space, streaming over chunks of {@code chunk} samples
 * with a running maximum, so K = 5000 or more needs only one chunk of codes in memory.
 */
public final class ImportanceSampler {

  /** Where the latent codes are drawn from. */
  public enum Proposal {
    /** {@code z ~ q(z|x)}: the encoder. */
    POSTERIOR,
    /** {@code z ~ p(z) = N(0, I)}: naive Monte Carlo. */
    PRIOR
  }

  /**
   * An estimate and its Monte Carlo standard error (delta method: {@code sd(w) / (sqrt(K) mean(w))}).
   *
   * @param logLikelihood the estimate of {@code log p(x)}
   * @param standardError its standard error, in nats
   * @param samples K
   */
  public record Estimate(double logLikelihood, double standardError, int samples) {}

  private ImportanceSampler() {}

  /**
   * @throws IllegalArgumentException when {@code samples} or {@code chunk} is below 1
   */
  public static Estimate estimate(LatentGaussianModel model, double[] x, int samples,
      Proposal proposal, Random random, int chunk) {
    return estimate(model, x,
        proposal == Proposal.POSTERIOR ? model.encode(x) : null, samples, random, chunk);
  }

  /**
   * The estimate with a given proposal {@code q} (a refined {@code q(z|x)}, say), or the prior when
   * {@code q} is null.
   *
   * @throws IllegalArgumentException when {@code samples} or {@code chunk} is below 1
   */
  public static Estimate estimate(LatentGaussianModel model, double[] x, DiagonalGaussian q,
      int samples, Random random, int chunk) {
    if (samples < 1 || chunk < 1) {
      throw new IllegalArgumentException(
          "samples and chunk must be at least 1, got " + samples + " and " + chunk);
    }
    int l = model.latentDim();
    DiagonalGaussian prior = DiagonalGaussian.standard(l);
    Proposal proposal = q == null ? Proposal.PRIOR : Proposal.POSTERIOR;
    if (q == null) {
      q = prior;
    }
    int size = Math.min(chunk, samples);
    double[] z = new double[size * l];
    double[] one = new double[l];
    double[] logLik = new double[size];
    double[] logCorrection = new double[size];
    // Running log-sum-exp of w and of w^2, both relative to the largest log w seen so far.
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0.0;
    double sumSquares = 0.0;
    for (int done = 0; done < samples; done += size) {
      int n = Math.min(size, samples - done);
      for (int s = 0; s < n; s++) {
        q.sample(random, one);
        System.arraycopy(one, 0, z, s * l, l);
        logCorrection[s] = proposal == Proposal.POSTERIOR
            ? prior.logDensity(one) - q.logDensity(one) : 0.0;
      }
      model.logLikelihood(x, z, n, logLik);
      for (int s = 0; s < n; s++) {
        double logW = logLik[s] + logCorrection[s];
        if (logW > max) {
          double scale = Math.exp(max - logW);
          sum *= scale;
          sumSquares *= scale * scale;
          max = logW;
        }
        double w = Math.exp(logW - max);
        sum += w;
        sumSquares += w * w;
      }
    }
    double mean = sum / samples;
    double variance = Math.max(0.0, sumSquares / samples - mean * mean);
    double standardError = Math.sqrt(variance / samples) / mean;
    return new Estimate(max + Math.log(mean), standardError, samples);
  }
}
