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

  private final SameDiff sd = SameDiff.create();
  private final int latentDim;
  private final int dataDim;
  private final double[] noiseLogVariance;

  /**
   * @param params the decoder's parameters by name, as a trained network holds them
   */
  DecoderGraph(Decoder decoder, Map<String, INDArray> params) {
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
}
