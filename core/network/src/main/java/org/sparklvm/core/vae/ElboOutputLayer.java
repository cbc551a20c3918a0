package org.sparklvm.core.vae;

import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;
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
 * {@code log p(x|z)}. With the {@link Objective#ELBO} the loss is {@code sum over the minibatch of
 * -(mean_s log p(x|z_s) - beta KL(q || N(0, I)))} with the KL in closed form; with the {@link
 * Objective#IWAE} it is {@code sum over the minibatch of -log (1/K) sum_s p(x, z_s) / q(z_s|x)}
 * (Burda, Grosse and Salakhutdinov 2016), each row's log weights combined by log-sum-exp. DL4J
 * divides by the minibatch size.
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

  @Override
  public SDVariable defineLayer(SameDiff sd, SDVariable input, SDVariable labels,
      Map<String, SDVariable> params) {
    Decoder decoder = decoder();
    // Columns picked by products with 0/1 matrices: the gradient of a strided slice of a one-row
    // minibatch fails now and then in SameDiff M2.1 ("lengths of arrays are mismatched").
    SDVariable mu = input.mmul(columns(sd, input, 0));
    SDVariable logVar = input.mmul(columns(sd, input, latentDim));
    SDVariable sigma = sd.math().exp(logVar.mul(0.5));
    SDVariable begin = sd.constant(Nd4j.createFromArray(0L, 0L));
    boolean iwae = Objective.fromId(objective) == Objective.IWAE;
    SDVariable reconstruction = null;
    SDVariable[] logWeights = new SDVariable[samples];
    for (int s = 0; s < samples; s++) {
      SDVariable eps = sd.slice(
          sd.random().normal(0.0, 1.0, input.dataType(), maxBatch, latentDim), begin, mu.shape());
      SDVariable z = mu.add(sigma.mul(eps));
      SDVariable out = decoder.output(sd, z, params);
      SDVariable logLik = decoder.logLikelihood(sd, labels, out, params);
      if (iwae) {
        logWeights[s] = logWeight(sd, logLik, z, logVar, eps);
      } else {
        // Summed over every element at once: see Decoder.logLikelihood.
        logLik = logLik.sum();
        reconstruction = reconstruction == null ? logLik : reconstruction.add(logLik);
      }
      if (s == samples - 1) {
        decoder.mean(sd, RECONSTRUCTION, out);
      }
    }
    SDVariable loss = iwae ? importanceWeighted(sd, logWeights).neg()
        : reconstruction.div(samples).sub(klToPrior(sd, mu, logVar).mul(beta)).neg();
    loss.markAsLoss();
    return loss;
  }

  /** The {@code 2 latentDim x latentDim} matrix that picks columns {@code from, ..., from + latentDim - 1}. */
  private SDVariable columns(SameDiff sd, SDVariable input, int from) {
    INDArray pick = Nd4j.zeros(input.dataType(), 2L * latentDim, latentDim);
    for (int j = 0; j < latentDim; j++) {
      pick.putScalar(new long[] {from + j, j}, 1.0);
    }
    return sd.constant(pick);
  }

  /**
   * A draw's log importance weight per row, {@code log p(x|z) + beta (log p(z) - log q(z|x))}, with {@code z = mu + sigma eps}: {@code log p(z) - log q(z|x) = sum_j (eps_j^2 - z_j^2 +
   * log sigma_j^2) / 2} (the {@code 2 pi} terms cancel). Beta scales the prior's share as it scales
   * the KL term of the ELBO, so that the KL warm-up applies to both objectives; at beta 1 it is the
   * IWAE weight.
   */
  private SDVariable logWeight(SameDiff sd, SDVariable logLik, SDVariable z, SDVariable logVar,
      SDVariable eps) {
    SDVariable logRatio = rowSums(sd, eps.mul(eps).sub(z.mul(z)).add(logVar), latentDim).mul(0.5);
    return rowSums(sd, logLik, dataDim).add(logRatio.mul(beta));
  }

  /**
   * Each row's sum of a {@code rows x width} matrix, a vector. SameDiff M2.1 fails to differentiate a
   * sum over an axis of length one (a no-op with a null input), and a reshape of one column failed
   * too: one column is summed with a column of zeros instead.
   */
  private static SDVariable rowSums(SameDiff sd, SDVariable v, int width) {
    return width == 1 ? sd.concat(1, v, sd.zerosLike(v)).sum(1) : v.sum(1);
  }

  /**
   * {@code sum over rows of log (1/K) sum_k w_k}: per row, the log-sum-exp over the K draws (shifted
   * by the row's largest log weight, so that no weight overflows), minus {@code log K}.
   */
  private static SDVariable importanceWeighted(SameDiff sd, SDVariable[] logWeights) {
    if (logWeights.length == 1) {
      return logWeights[0].sum(); // one draw: the single-draw ELBO, the KL by Monte Carlo
    }
    SDVariable all = sd.stack(1, logWeights);
    SDVariable max = all.max(true, 1);
    SDVariable logSum = sd.math().log(sd.math().exp(all.sub(max)).sum(1)).add(max.reshape(-1));
    return logSum.sub(Math.log(logWeights.length)).sum();
  }

  /** {@code KL(N(mu, sigma^2) || N(0, I)) = 1/2 sum(sigma^2 + mu^2 - 1 - log sigma^2)}, all rows. */
  private static SDVariable klToPrior(SameDiff sd, SDVariable mu, SDVariable logVar) {
    return sd.math().exp(logVar).add(mu.mul(mu)).sub(1.0).sub(logVar).sum().mul(0.5);
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
