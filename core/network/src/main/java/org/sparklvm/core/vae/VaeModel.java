package org.sparklvm.core.vae;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained VAE network seen as a {@link LatentGaussianModel}: the encoder is the network up to its
 * latent layer, the decoder is the {@link ElboOutputLayer}'s {@link Decoder} with its trained
 * parameters, applied to given codes (so that the ELBO and importance-sampled estimates can choose
 * their own z).
 */
public final class VaeModel implements LatentGaussianModel {

  private final MultiLayerNetwork network;
  private final VaeArchitecture architecture;
  private final DecoderGraph decoder;
  private final PosteriorRefiner refiner;

  public VaeModel(MultiLayerNetwork network, VaeArchitecture architecture) {
    this.network = network;
    this.architecture = architecture;
    Layer out = network.getLayer(network.getnLayers() - 1);
    this.decoder = new DecoderGraph(((ElboOutputLayer) out.conf().getLayer()).decoder(),
        out.paramTable());
    this.refiner = new PosteriorRefiner(decoder, architecture.latentDim(), architecture.inputDim());
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

  /**
   * The mean of {@code p(x|z)} for each code ({@code count x latentDim}, row-major): Bernoulli
   * probabilities or Gaussian means, {@code count x inputDim} row-major.
   */
  public double[] decodeMean(double[] z, int count) {
    return decoder.mean(z, count);
  }

  /** A draw from {@code p(x|z)} given its mean: Bernoulli bits, or Gaussian with the learned noise. */
  public void drawObservation(double[] mean, java.util.Random random, double[] out) {
    decoder.drawObservation(mean, random, out);
  }

  /**
   * Each row's {@code q(z|x)} refined by {@code settings.steps()} Adam steps on the row's own ELBO,
   * from {@code start} (the encoder's, {@link #encode}), the decoder fixed: see {@link
   * RefinementSettings}. The gradients come from the decoder's SameDiff graph in double precision, a
   * block of rows at once.
   *
   * @param x {@code start.length} rows of {@code inputDim} features, row-major
   * @throws IllegalArgumentException when {@code x} does not hold {@code start.length} rows
   */
  public DiagonalGaussian[] refine(double[] x, DiagonalGaussian[] start,
      RefinementSettings settings, java.util.Random random) {
    if (x.length != (long) start.length * architecture.inputDim()) {
      throw new IllegalArgumentException(x.length + " values are not " + start.length + " rows of "
          + architecture.inputDim());
    }
    return refiner.refine(x, start, settings, random);
  }

  @Override
  public void logLikelihood(double[] x, double[] z, int count, double[] out) {
    decoder.logLikelihood(x, z, count, out);
  }
}
