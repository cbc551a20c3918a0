package org.sparklvm.core.vae;

import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The decoder and the negative ELBO of a variational autoencoder as one DL4J output layer, so that
 * DL4J (and dl4j-spark's parameter averaging) trains the whole VAE as it trains any network, with
 * features = labels = x.
 *
 * <p>Its input is the encoder's {@code [mu, log sigma^2]} ({@code 2 x latentDim} columns). For each of
 * {@code samples} draws it forms {@code z = mu + sigma * eps} (the reparameterisation trick; eps is
 * drawn inside the graph), decodes it with the {@link Decoder} these fields describe, and scores
 * {@code log p(x|z)}. The loss is {@code sum over the minibatch of -(mean_s log p(x|z_s) - beta KL(q
 * || N(0, I)))} with the KL in closed form; DL4J divides by the minibatch size.
 *
 * <p>SameDiff's random ops with a dynamic shape do not advance their generator (DL4J issue 8602), so
 * eps is drawn at a fixed {@code maxBatch x latentDim} and sliced to the minibatch.
 *
 * <p>Fields have getters and setters because DL4J saves layer configurations as JSON, and a no-argument
 * constructor for its deserialisation.
 */
public final class ElboOutputLayer extends SameDiffOutputLayer {

  private static final long serialVersionUID = 1L;
  static final String RECONSTRUCTION = "reconstruction";

  private int latentDim;
  private int dataDim;
  private int[] decoderLayers = new int[0];
  private String likelihood = Likelihood.BERNOULLI.id();
  private int samples = 1;
  private double beta = 1.0;
  private int maxBatch = 1024;

  /** For JSON deserialisation. */
  public ElboOutputLayer() {}

  /**
   * @throws IllegalArgumentException on non-positive sizes, samples or maxBatch, or negative beta
   */
  public ElboOutputLayer(int latentDim, int[] decoderLayers, int dataDim, Likelihood likelihood,
      int samples, double beta, int maxBatch) {
    if (samples < 1 || maxBatch < 1 || !(beta >= 0.0)) {
      throw new IllegalArgumentException("bad ELBO layer: samples " + samples + ", maxBatch "
          + maxBatch + ", beta " + beta);
    }
    new Decoder(latentDim, decoderLayers, dataDim, likelihood); // checks the decoder's sizes
    this.latentDim = latentDim;
    this.decoderLayers = decoderLayers.clone();
    this.dataDim = dataDim;
    this.likelihood = likelihood.id();
    this.samples = samples;
    this.beta = beta;
    this.maxBatch = maxBatch;
  }

  /** The decoder these fields describe (not a field itself: the JSON form stays as saved). */
  Decoder decoder() {
    return new Decoder(latentDim, decoderLayers, dataDim, Likelihood.fromId(likelihood));
  }

  @Override
  public SDVariable defineLayer(SameDiff sd, SDVariable input, SDVariable labels,
      Map<String, SDVariable> params) {
    Decoder decoder = decoder();
    SDVariable mu = input.get(SDIndex.all(), SDIndex.interval(0, latentDim));
    SDVariable logVar = input.get(SDIndex.all(), SDIndex.interval(latentDim, 2 * latentDim));
    SDVariable sigma = sd.math().exp(logVar.mul(0.5));
    SDVariable begin = sd.constant(Nd4j.createFromArray(0L, 0L));
    SDVariable reconstruction = null;
    for (int s = 0; s < samples; s++) {
      SDVariable eps = sd.slice(
          sd.random().normal(0.0, 1.0, input.dataType(), maxBatch, latentDim), begin, mu.shape());
      SDVariable out = decoder.output(sd, mu.add(sigma.mul(eps)), params);
      // Summed over every element at once: see Decoder.logLikelihood.
      SDVariable logLik = decoder.logLikelihood(sd, labels, out, params).sum();
      reconstruction = reconstruction == null ? logLik : reconstruction.add(logLik);
      if (s == samples - 1) {
        decoder.mean(sd, RECONSTRUCTION, out);
      }
    }
    reconstruction = reconstruction.div(samples);
    // KL(N(mu, sigma^2) || N(0, I)) = 1/2 sum(sigma^2 + mu^2 - 1 - log sigma^2), summed over rows.
    SDVariable kl = sd.math().exp(logVar).add(mu.mul(mu)).sub(1.0).sub(logVar).sum().mul(0.5);
    SDVariable loss = reconstruction.sub(kl.mul(beta)).neg();
    loss.markAsLoss();
    return loss;
  }

  @Override
  public String activationsVertexName() {
    return RECONSTRUCTION;
  }

  @Override
  public void defineParameters(SDLayerParams params) {
    decoder().defineParameters(params);
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    decoder().initializeParameters(params);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.feedForward(dataDim);
  }

  public int getLatentDim() {
    return latentDim;
  }

  public void setLatentDim(int latentDim) {
    this.latentDim = latentDim;
  }

  public int getDataDim() {
    return dataDim;
  }

  public void setDataDim(int dataDim) {
    this.dataDim = dataDim;
  }

  public int[] getDecoderLayers() {
    return decoderLayers.clone();
  }

  public void setDecoderLayers(int[] decoderLayers) {
    this.decoderLayers = decoderLayers.clone();
  }

  public String getLikelihood() {
    return likelihood;
  }

  public void setLikelihood(String likelihood) {
    this.likelihood = likelihood;
  }

  public int getSamples() {
    return samples;
  }

  public void setSamples(int samples) {
    this.samples = samples;
  }

  public double getBeta() {
    return beta;
  }

  public void setBeta(double beta) {
    this.beta = beta;
  }

  public int getMaxBatch() {
    return maxBatch;
  }

  public void setMaxBatch(int maxBatch) {
    this.maxBatch = maxBatch;
  }
}
