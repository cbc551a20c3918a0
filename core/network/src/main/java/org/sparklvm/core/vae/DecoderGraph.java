package org.sparklvm.core.vae;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link Decoder} with fixed parameters as a SameDiff graph of its own, in double precision (the
 * network trains in float32; estimates of {@code log p(x)} sum hundreds of terms and then
 * log-sum-exp them), evaluated for codes chosen by the caller. Not thread-safe, like the network it
 * comes from.
 */
final class DecoderGraph {

  private static final String Z = "z";
  private static final String X = "x";
  private static final String MEAN = "mean";
  private static final String LOG_LIKELIHOOD = "logLikelihood";

  private static final String MU = "mu";
  private static final String LOG_VAR = "logVar";
  private static final String EPS = "eps";
  private static final String ROWS = "rows";

  private final SameDiff sd = SameDiff.create();
  private final Decoder decoder;
  private final Map<String, INDArray> params;
  private final int latentDim;
  private final int dataDim;
  private final double[] noiseLogVariance;
  /** The ELBO of given q(z|x) and its gradient, built on first use: scoring alone never needs it. */
  private SameDiff elboGraph;

  /**
   * @param params the decoder's parameters by name, as a trained network holds them
   */
  DecoderGraph(Decoder decoder, Map<String, INDArray> params) {
    this.decoder = decoder;
    this.params = params;
    latentDim = decoder.latentDim();
    dataDim = decoder.dataDim();
    Map<String, SDVariable> constants = new HashMap<>();
    params.forEach((name, value) -> constants.put(name,
        sd.constant(name, value.castTo(DataType.DOUBLE))));
    SDVariable z = sd.placeHolder(Z, DataType.DOUBLE, -1, latentDim);
    SDVariable x = sd.placeHolder(X, DataType.DOUBLE, 1, dataDim);
    SDVariable output = decoder.output(sd, z, constants);
    decoder.mean(sd, MEAN, output);
    decoder.logLikelihood(sd, x, output, constants).sum(LOG_LIKELIHOOD, 1);
    INDArray logVar = decoder.noiseLogVariance(params);
    noiseLogVariance = logVar == null ? null : logVar.castTo(DataType.DOUBLE).toDoubleVector();
  }

  private INDArray codes(double[] z, int count) {
    return Nd4j.create(z, new long[] {count, latentDim}, 'c');
  }

  /** The mean of {@code p(x|z)} for {@code count} codes (row-major), {@code count x dataDim}. */
  double[] mean(double[] z, int count) {
    INDArray mean = sd.outputSingle(Map.of(Z, codes(z, count)), MEAN);
    return mean.reshape('c', new long[] {mean.length()}).toDoubleVector();
  }

  /** {@code log p(x | z_s)} for each of {@code count} codes (row-major), into {@code out}. */
  void logLikelihood(double[] x, double[] z, int count, double[] out) {
    INDArray ll = sd.outputSingle(
        Map.of(Z, codes(z, count), X, Nd4j.create(x, new long[] {1, dataDim}, 'c')),
        LOG_LIKELIHOOD);
    for (int s = 0; s < count; s++) {
      out[s] = ll.getDouble(s);
    }
  }

  /** A draw from {@code p(x|z)} given its mean: Bernoulli bits, or Gaussian with the learned noise. */
  void drawObservation(double[] mean, Random random, double[] out) {
    for (int j = 0; j < mean.length; j++) {
      out[j] = noiseLogVariance == null ? (random.nextDouble() < mean[j] ? 1.0 : 0.0)
          : mean[j] + Math.exp(0.5 * noiseLogVariance[j]) * random.nextGaussian();
    }
  }

  /**
   * The graph of {@code sum over rows of log p(x_r | mu_r + sigma_r eps_r) - KL(q_r || N(0, I))}, with
   * {@code mu}, {@code log sigma^2}, {@code eps} and {@code x} as placeholders: its gradient with
   * respect to the row's {@code mu} and {@code log sigma^2} is that of the row's own single-draw
   * ELBO, rows being independent.
   */
  private SameDiff elboGraph() {
    if (elboGraph == null) {
      SameDiff g = SameDiff.create();
      Map<String, SDVariable> constants = new HashMap<>();
      params.forEach((name, value) -> constants.put(name,
          g.constant(name, value.castTo(DataType.DOUBLE))));
      // Variables, not placeholders: SameDiff differentiates with respect to variables only. Their
      // values are set before each pass (any number of rows), the decoder's are constants.
      SDVariable mu = g.var(MU, DataType.DOUBLE, 1, latentDim);
      SDVariable logVar = g.var(LOG_VAR, DataType.DOUBLE, 1, latentDim);
      SDVariable eps = g.placeHolder(EPS, DataType.DOUBLE, -1, latentDim);
      SDVariable x = g.placeHolder(ROWS, DataType.DOUBLE, -1, dataDim);
      SDVariable z = mu.add(g.math().exp(logVar.mul(0.5)).mul(eps));
      // Summed over every element at once: see Decoder.logLikelihood.
      SDVariable logLik = decoder.logLikelihood(g, x, decoder.output(g, z, constants), constants)
          .sum();
      SDVariable kl = g.math().exp(logVar).add(mu.mul(mu)).sub(1.0).sub(logVar).sum().mul(0.5);
      logLik.sub(kl).markAsLoss();
      elboGraph = g;
    }
    return elboGraph;
  }

  /**
   * The gradient of each row's single-draw ELBO with respect to its {@code mu} and {@code log
   * sigma^2}, for {@code count} rows (all arrays row-major): {@code z_r = mu_r + sigma_r eps_r}
   * decoded against {@code x_r}, the KL term exact. Into {@code gradMu} and {@code gradLogVar}.
   */
  void elboGradient(double[] x, double[] mu, double[] logVar, double[] eps, int count,
      double[] gradMu, double[] gradLogVar) {
    long[] codes = {count, latentDim};
    SameDiff g = elboGraph();
    g.getVariable(MU).setArray(Nd4j.create(mu, codes, 'c'));
    g.getVariable(LOG_VAR).setArray(Nd4j.create(logVar, codes, 'c'));
    Map<String, INDArray> in = Map.of(EPS, Nd4j.create(eps, codes, 'c'),
        ROWS, Nd4j.create(x, new long[] {count, dataDim}, 'c'));
    Map<String, INDArray> grads = g.calculateGradients(in, MU, LOG_VAR);
    copy(grads.get(MU), gradMu);
    copy(grads.get(LOG_VAR), gradLogVar);
  }

  private static void copy(INDArray from, double[] to) {
    double[] flat = from.castTo(DataType.DOUBLE).reshape('c', new long[] {from.length()})
        .toDoubleVector();
    System.arraycopy(flat, 0, to, 0, to.length);
  }
}
