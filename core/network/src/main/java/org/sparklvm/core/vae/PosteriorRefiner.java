package org.sparklvm.core.vae;

import java.util.Arrays;
import java.util.Random;

/**
 * Refines each row's {@code q(z|x)} by Adam ascent of its own ELBO with respect to the mean and the
 * log-variance, the decoder fixed ({@link RefinementSettings}): a block of rows at a time, every
 * gradient one pass of the {@link DecoderGraph}'s ELBO graph over {@code rows x samples} codes.
 */
final class PosteriorRefiner {

  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;
  /** Codes decoded per gradient at most: bounds memory for wide data and large blocks. */
  private static final int MAX_CODES = 2048;

  private final DecoderGraph decoder;
  private final int latentDim;
  private final int dataDim;

  PosteriorRefiner(DecoderGraph decoder, int latentDim, int dataDim) {
    this.decoder = decoder;
    this.latentDim = latentDim;
    this.dataDim = dataDim;
  }

  /**
   * @param x {@code start.length} rows, row-major
   * @param start each row's q to start from (the encoder's)
   * @return each row's refined q
   */
  DiagonalGaussian[] refine(double[] x, DiagonalGaussian[] start, RefinementSettings settings,
      Random random) {
    DiagonalGaussian[] out = start.clone();
    if (!settings.refines()) {
      return out;
    }
    int chunk = Math.max(1, MAX_CODES / settings.samples());
    for (int from = 0; from < start.length; from += chunk) {
      refineChunk(x, out, from, Math.min(start.length, from + chunk), settings, random);
    }
    return out;
  }

  /**
   * The step size's factor at step {@code t} of {@code n}: 1 for the first half, then falling
   * linearly to {@code 1/n} at the last step, so that the noisy gradients' jitter dies down and q
   * settles rather than wandering at the step size's scale around the optimum.
   */
  static double decay(int t, int n) {
    double half = n / 2.0;
    return t <= half ? 1.0 : Math.max(1.0 / n, (n - t + 1) / (n - half));
  }

  private void refineChunk(double[] x, DiagonalGaussian[] q, int from, int to,
      RefinementSettings settings, Random random) {
    int rows = to - from;
    int l = latentDim;
    int samples = settings.samples();
    int codes = rows * samples;
    // theta = [mu of every row, log sigma^2 of every row], with Adam's two moments beside it.
    double[] theta = new double[2 * rows * l];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(q[from + r].mean(), 0, theta, r * l, l);
      System.arraycopy(q[from + r].logVariance(), 0, theta, (rows + r) * l, l);
    }
    double[] first = new double[theta.length];
    double[] second = new double[theta.length];
    // Every draw sees its own row: x, mu and log sigma^2 repeated sample by sample.
    double[] xs = new double[codes * dataDim];
    for (int s = 0; s < samples; s++) {
      System.arraycopy(x, from * dataDim, xs, s * rows * dataDim, rows * dataDim);
    }
    double[] mu = new double[codes * l];
    double[] logVar = new double[codes * l];
    double[] eps = new double[codes * l];
    double[] gradMu = new double[codes * l];
    double[] gradLogVar = new double[codes * l];
    double[] grad = new double[theta.length];
    for (int t = 1; t <= settings.steps(); t++) {
      for (int s = 0; s < samples; s++) {
        System.arraycopy(theta, 0, mu, s * rows * l, rows * l);
        System.arraycopy(theta, rows * l, logVar, s * rows * l, rows * l);
      }
      for (int i = 0; i < eps.length; i++) {
        eps[i] = random.nextGaussian();
      }
      decoder.elboGradient(xs, mu, logVar, eps, codes, gradMu, gradLogVar);
      // The mean over the draws of each single-draw gradient: the Monte Carlo ELBO's gradient.
      Arrays.fill(grad, 0.0);
      for (int s = 0; s < samples; s++) {
        for (int i = 0; i < rows * l; i++) {
          grad[i] += gradMu[s * rows * l + i] / samples;
          grad[rows * l + i] += gradLogVar[s * rows * l + i] / samples;
        }
      }
      double step = settings.learningRate() * decay(t, settings.steps())
          * Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(BETA1, t));
      for (int i = 0; i < theta.length; i++) {
        first[i] = BETA1 * first[i] + (1 - BETA1) * grad[i];
        second[i] = BETA2 * second[i] + (1 - BETA2) * grad[i] * grad[i];
        // Ascent: the ELBO is maximised.
        theta[i] += step * first[i] / (Math.sqrt(second[i]) + EPSILON);
      }
    }
    for (int r = 0; r < rows; r++) {
      double[] m = new double[l];
      double[] v = new double[l];
      System.arraycopy(theta, r * l, m, 0, l);
      System.arraycopy(theta, (rows + r) * l, v, 0, l);
      q[from + r] = new DiagonalGaussian(m, v);
    }
  }
}
