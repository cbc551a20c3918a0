package org.sparklvm.core.vae;

import java.util.Map;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitUtil;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The decoder {@code p(x|z)} of a variational autoencoder, defined once: its parameters (names,
 * shapes, initialisation) and its forward pass as SameDiff operations. The {@link ElboOutputLayer}
 * declares and initialises its parameters from here, and {@link NegativeElbo} runs the same forward
 * pass by hand for training (tests hold the two equal); {@link DecoderGraph} builds this SameDiff pass
 * alone, in double precision, to score given codes.
 *
 * <p>{@code z} goes through ReLU layers of the given sizes to an affine output: logits (Bernoulli) or
 * means (Gaussian, with a learned log-variance per dimension, {@code logVarOut}). Weights are
 * {@code W0, W1, ..., Wout} ({@code in x out}), biases {@code b0, b1, ..., bout} ({@code 1 x out});
 * these names are stored in saved networks.
 */
final class Decoder {

  private static final double LOG_2PI = Math.log(2.0 * Math.PI);
  /** The Gaussian noise's log-variance per dimension. */
  static final String LOG_VARIANCE = "logVarOut";
  /** The output layer's weights and biases. */
  static final String OUTPUT_WEIGHT = "Wout";
  static final String OUTPUT_BIAS = "bout";

  private final int latentDim;
  private final int[] hidden;
  private final int dataDim;
  private final Likelihood likelihood;

  /**
   * @throws IllegalArgumentException on a non-positive dimension or layer size
   */
  Decoder(int latentDim, int[] hidden, int dataDim, Likelihood likelihood) {
    if (latentDim < 1 || dataDim < 1) {
      throw new IllegalArgumentException(
          "decoder dimensions must be positive, got latent " + latentDim + " and data " + dataDim);
    }
    for (int h : hidden) {
      if (h < 1) {
        throw new IllegalArgumentException("decoder layer sizes must be positive, got " + h);
      }
    }
    this.latentDim = latentDim;
    this.hidden = hidden.clone();
    this.dataDim = dataDim;
    this.likelihood = likelihood;
  }

  int latentDim() {
    return latentDim;
  }

  int dataDim() {
    return dataDim;
  }

  /** The weights of ReLU layer {@code layer}. */
  static String weight(int layer) {
    return "W" + layer;
  }

  /** The biases of ReLU layer {@code layer}. */
  static String bias(int layer) {
    return "b" + layer;
  }

  /**
   * Declares the parameters. DL4J lays them out in a network's flattened parameter vector weights
   * first, then biases, each in declaration order: saved networks depend on it.
   */
  void defineParameters(SDLayerParams params) {
    long in = latentDim;
    for (int i = 0; i < hidden.length; i++) {
      params.addWeightParam(weight(i), in, hidden[i]);
      params.addBiasParam(bias(i), 1, hidden[i]);
      in = hidden[i];
    }
    params.addWeightParam(OUTPUT_WEIGHT, in, dataDim);
    params.addBiasParam(OUTPUT_BIAS, 1, dataDim);
    if (likelihood == Likelihood.GAUSSIAN) {
      params.addBiasParam(LOG_VARIANCE, 1, dataDim);
    }
  }

  /** He initialisation before ReLUs, Xavier for the output, zero biases and log-variances. */
  void initializeParameters(Map<String, INDArray> params) {
    long in = latentDim;
    for (int i = 0; i < hidden.length; i++) {
      WeightInitUtil.initWeights(in, hidden[i], new long[] {in, hidden[i]}, WeightInit.RELU, null,
          'c', params.get(weight(i)));
      params.get(bias(i)).assign(0.0);
      in = hidden[i];
    }
    WeightInitUtil.initWeights(in, dataDim, new long[] {in, dataDim}, WeightInit.XAVIER, null, 'c',
        params.get(OUTPUT_WEIGHT));
    params.get(OUTPUT_BIAS).assign(0.0);
    if (likelihood == Likelihood.GAUSSIAN) {
      params.get(LOG_VARIANCE).assign(0.0);
    }
  }

  /** The affine output for codes {@code z} (rows): logits (Bernoulli) or means (Gaussian). */
  SDVariable output(SameDiff sd, SDVariable z, Map<String, SDVariable> params) {
    SDVariable h = z;
    for (int i = 0; i < hidden.length; i++) {
      h = sd.nn().relu(h.mmul(params.get(weight(i))).add(params.get(bias(i))), 0.0);
    }
    return h.mmul(params.get(OUTPUT_WEIGHT)).add(params.get(OUTPUT_BIAS));
  }

  /** The mean of {@code p(x|z)} given the {@link #output}: probabilities or the means themselves. */
  SDVariable mean(SameDiff sd, String name, SDVariable output) {
    return likelihood == Likelihood.BERNOULLI
        ? sd.nn().sigmoid(name, output) : sd.identity(name, output);
  }

  /**
   * {@code log p(x_j | z)} per element, given the {@link #output}; {@code x} broadcasts over the
   * output's rows. Left unsummed: the gradient of a sum over an axis of length one fails in SameDiff
   * M2.1, so training sums every element at once and scoring sums each row.
   */
  SDVariable logLikelihood(SameDiff sd, SDVariable x, SDVariable output,
      Map<String, SDVariable> params) {
    if (likelihood == Likelihood.BERNOULLI) {
      // x l - softplus(l), with softplus(l) = max(l, 0) + log1p(exp(-|l|)) for stability.
      SDVariable softplus = sd.nn().relu(output, 0.0)
          .add(sd.math().log1p(sd.math().exp(sd.math().abs(output).neg())));
      return x.mul(output).sub(softplus);
    }
    SDVariable logVar = params.get(LOG_VARIANCE);
    SDVariable diff = x.sub(output);
    return diff.mul(diff).mul(sd.math().exp(logVar.neg())).add(logVar).add(LOG_2PI).mul(-0.5);
  }

  /**
   * The Gaussian noise's log-variance per dimension among {@code params}, or null for a Bernoulli
   * decoder (whose noise is the coin flip).
   */
  INDArray noiseLogVariance(Map<String, INDArray> params) {
    return likelihood == Likelihood.GAUSSIAN ? params.get(LOG_VARIANCE) : null;
  }
}
