package org.sparklvm.core.vae;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The configuration of the decoder and the negative ELBO of a variational autoencoder as one DL4J
 * output layer, so that DL4J (and dl4j-spark's parameter averaging) trains the whole VAE as it trains
 * any network, with features = labels = x.
 *
 * <p>Its input is the encoder's {@code [mu, log sigma^2]} ({@code 2 x latentDim} columns). For each of
 * {@code samples} draws it forms {@code z = mu + sigma * eps} (the reparameterisation trick, eps from
 * ND4J's generator), decodes it with the {@link Decoder} these fields describe, and scores {@code log
 * p(x|z)}. With the {@link Objective#ELBO} the loss is {@code sum over the minibatch of -(mean_s log
 * p(x|z_s) - beta KL(q || N(0, I)))} with the KL in closed form; with the {@link Objective#IWAE} it is
 * {@code sum over the minibatch of -log (1/K) sum_s p(x, z_s) / q(z_s|x)} (Burda, Grosse and
 * Salakhutdinov 2016), each row's log weights combined by log-sum-exp. DL4J divides by the minibatch
 * size. {@link NegativeElbo} computes it and its gradient by hand, in the runtime {@link ElboLayer}.
 *
 * <p>It still extends DL4J's {@code SameDiffOutputLayer}, whose graph it no longer defines: networks
 * saved when it was a SameDiff layer hold that class's JSON fields, its parameter layout ({@code
 * SameDiffParamInitializer}: all weights, then all biases) and its per-parameter updater settings, and
 * this keeps all three. {@code maxBatch} bounded the SameDiff graph's noise and no longer limits
 * anything; it stays for the saved JSON.
 *
 * <p>Fields have getters and setters because DL4J saves layer configurations as JSON, and a no-argument
 * constructor for its deserialisation.
 */
public final class ElboOutputLayer extends SameDiffOutputLayer {

  private static final long serialVersionUID = 1L;
  private static final String RECONSTRUCTION = "reconstruction";

  private int latentDim;
  private int dataDim;
  private int[] decoderLayers = new int[0];
  private String likelihood = Likelihood.BERNOULLI.id();
  // Absent from layers saved before it existed: those were all trained on the ELBO.
  private String objective = Objective.ELBO.id();
  private int samples = 1;
  private double beta = 1.0;
  private int maxBatch = 1024;

  /** For JSON deserialisation. */
  public ElboOutputLayer() {}

  /**
   * @throws IllegalArgumentException on non-positive sizes, samples or maxBatch, or negative beta
   */
  public ElboOutputLayer(int latentDim, int[] decoderLayers, int dataDim, Likelihood likelihood,
      Objective objective, int samples, double beta, int maxBatch) {
    if (samples < 1 || maxBatch < 1 || !(beta >= 0.0)) {
      throw new IllegalArgumentException("bad ELBO layer: samples " + samples + ", maxBatch "
          + maxBatch + ", beta " + beta);
    }
    new Decoder(latentDim, decoderLayers, dataDim, likelihood); // checks the decoder's sizes
    this.latentDim = latentDim;
    this.decoderLayers = decoderLayers.clone();
    this.dataDim = dataDim;
    this.likelihood = likelihood.id();
    this.objective = objective.id();
    this.samples = samples;
    this.beta = beta;
    this.maxBatch = maxBatch;
  }

  /** The decoder these fields describe (not a field itself: the JSON form stays as saved). */
  Decoder decoder() {
    return new Decoder(latentDim, decoderLayers, dataDim, Likelihood.fromId(likelihood));
  }

  /**
   * Not used: {@link #instantiate} builds the hand-written {@link ElboLayer}, not DL4J's SameDiff
   * runtime layer that would call this.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public SDVariable defineLayer(SameDiff sd, SDVariable input, SDVariable labels,
      Map<String, SDVariable> params) {
    throw new UnsupportedOperationException(
        "the ELBO layer runs hand-written passes (ElboLayer), not a SameDiff graph");
  }

  /**
   * The hand-written runtime layer, its parameters laid out by DL4J's {@code
   * SameDiffParamInitializer} from {@link #defineParameters} as the SameDiff layer laid them out.
   */
  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView,
      boolean initializeParams, DataType networkDataType) {
    ElboLayer layer = new ElboLayer(conf, networkDataType);
    layer.setListeners(listeners);
    layer.setIndex(layerIndex);
    layer.setParamsViewArray(paramsView);
    layer.setParamTable(initializer().init(conf, paramsView, initializeParams));
    layer.setConf(conf);
    return layer;
  }

  /** Not used, like {@link #defineLayer}: the name the SameDiff graph gave the reconstruction. */
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

  public String getObjective() {
    return objective;
  }

  public void setObjective(String objective) {
    this.objective = objective;
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
