package org.sparklvm.core.vae;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A trained VAE network seen as a {@link LatentGaussianModel}: the encoder is the network up to its
 * latent layer, the decoder is the {@link ElboOutputLayer}'s parameters applied to given codes (so
 * that the ELBO and importance-sampled estimates can choose their own z).
 */
public final class VaeModel implements LatentGaussianModel {

  private static final double LOG_2PI = Math.log(2.0 * Math.PI);

  private final MultiLayerNetwork network;
  private final VaeArchitecture architecture;
  private final INDArray[] weights;
  private final INDArray[] biases;
  private final INDArray logVarOut;

  public VaeModel(MultiLayerNetwork network, VaeArchitecture architecture) {
    this.network = network;
    this.architecture = architecture;
    int out = network.getnLayers() - 1;
    int hidden = architecture.decoderLayers().length;
    weights = new INDArray[hidden + 1];
    biases = new INDArray[hidden + 1];
    for (int i = 0; i < hidden; i++) {
      weights[i] = network.getLayer(out).getParam("W" + i).castTo(DataType.DOUBLE);
      biases[i] = network.getLayer(out).getParam("b" + i).castTo(DataType.DOUBLE);
    }
    weights[hidden] = network.getLayer(out).getParam("Wout").castTo(DataType.DOUBLE);
    biases[hidden] = network.getLayer(out).getParam("bout").castTo(DataType.DOUBLE);
    logVarOut = architecture.likelihood() == Likelihood.GAUSSIAN
        ? network.getLayer(out).getParam("logVarOut").castTo(DataType.DOUBLE) : null;
  }

  @Override
  public int latentDim() {
    return architecture.latentDim();
  }

  @Override
  public DiagonalGaussian encode(double[] x) {
    INDArray in = Nd4j.create(x, 1, x.length).castTo(DataType.FLOAT);
    INDArray act = network.feedForwardToLayer(architecture.latentLayer(), in)
        .get(architecture.latentLayer() + 1).castTo(DataType.DOUBLE);
    int l = latentDim();
    double[] mu = new double[l];
    double[] lv = new double[l];
    for (int i = 0; i < l; i++) {
      mu[i] = act.getDouble(0, i);
      lv[i] = act.getDouble(0, l + i);
    }
    return new DiagonalGaussian(mu, lv);
  }

  /** The decoder's output for codes {@code z} (count x latentDim): logits or Gaussian means. */
  private INDArray decode(double[] z, int count) {
    INDArray h = Nd4j.create(z, new long[] {count, latentDim()}, 'c').castTo(DataType.DOUBLE);
    for (int i = 0; i < weights.length; i++) {
      h = h.mmul(weights[i]).addRowVector(biases[i]);
      if (i < weights.length - 1) {
        h = Transforms.relu(h, false);
      }
    }
    return h;
  }

  /**
   * The mean of {@code p(x|z)} for each code ({@code count x latentDim}, row-major): Bernoulli
   * probabilities or Gaussian means, {@code count x inputDim} row-major.
   */
  public double[] decodeMean(double[] z, int count) {
    INDArray h = decode(z, count);
    if (logVarOut == null) {
      h = Transforms.sigmoid(h, false);
    }
    return h.data().asDouble();
  }

  /** A draw from {@code p(x|z)} given its mean: Bernoulli bits, or Gaussian with the learned noise. */
  public void drawObservation(double[] mean, java.util.Random random, double[] out) {
    for (int j = 0; j < mean.length; j++) {
      out[j] = logVarOut == null ? (random.nextDouble() < mean[j] ? 1.0 : 0.0)
          : mean[j] + Math.exp(0.5 * logVarOut.getDouble(j)) * random.nextGaussian();
    }
  }

  @Override
  public void logLikelihood(double[] x, double[] z, int count, double[] out) {
    INDArray h = decode(z, count);
    INDArray xs = Nd4j.create(x, 1, x.length).castTo(DataType.DOUBLE);
    INDArray ll;
    if (logVarOut == null) {
      // x l - softplus(l), stably.
      INDArray softplus = Transforms.relu(h, true)
          .addi(Transforms.log(Transforms.exp(Transforms.abs(h, true).negi(), false).addi(1.0),
              false));
      ll = h.mulRowVector(xs).subi(softplus).sum(1);
    } else {
      INDArray diff = h.rsubRowVector(xs);
      INDArray precision = Transforms.exp(logVarOut.neg(), false);
      ll = diff.muli(diff).mulRowVector(precision).addRowVector(logVarOut).addi(LOG_2PI).sum(1)
          .muli(-0.5);
    }
    for (int s = 0; s < count; s++) {
      out[s] = ll.getDouble(s);
    }
  }
}
