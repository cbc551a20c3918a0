package org.sparklvm.core.vae;

import static org.sparklvm.core.settings.Setting.Range.atLeast;
import static org.sparklvm.core.settings.Setting.Range.closedOpen;
import static org.sparklvm.core.settings.Setting.Range.greaterThan;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.sparklvm.core.settings.Setting;

/**
 * Hyper-parameters of one VAE fit, the network's and the training's: declared here once (name,
 * default, range, description) for {@code lvm vae fit} and {@code
 * org.sparklvm.ml.VariationalAutoencoder}, and validated here. {@link VaeArchitecture} and the
 * trainer's settings check their share against the same declarations.
 *
 * @param latentDim dimension of z
 * @param encoder hidden sizes of the encoder, input side first
 * @param decoder hidden sizes of the decoder, latent side first
 * @param likelihood the observation model
 * @param objective the bound trained on: the ELBO or the importance-weighted bound (IWAE)
 * @param samples Monte Carlo draws of z per row in the objective (K)
 * @param beta weight of the KL term
 * @param klWarmupEpochs epochs over which the KL weight rises from 0 to beta
 * @param learningRate Adam's step size
 * @param epochs passes over the training rows
 * @param batchSizePerWorker minibatch size on each worker
 * @param averagingFrequency minibatches per worker between parameter averagings
 * @param validationFraction share of rows held out for the validation ELBO
 * @param importanceSamples K of the importance-sampled log-likelihoods of held-out rows (training
 *     rows if none): the validation log-likelihood and the anomaly quantiles
 * @param seed initialisation, split and minibatch seed
 */
public record VaeSettings(int latentDim, int[] encoder, int[] decoder, Likelihood likelihood,
    Objective objective, int samples, double beta, int klWarmupEpochs, double learningRate, int epochs,
    int batchSizePerWorker, int averagingFrequency, double validationFraction,
    int importanceSamples, long seed) implements Serializable {

  public static final Setting<Integer> LATENT_DIM =
      Setting.integer("--latent-dim", "latentDim", 32, atLeast(1), "Dimension of z");
  public static final Setting<int[]> ENCODER = Setting.sizes("--encoder", "encoder",
      new int[] {512, 256}, "Encoder hidden sizes, input side first");
  public static final Setting<int[]> DECODER = Setting.sizes("--decoder", "decoder",
      new int[] {256, 512}, "Decoder hidden sizes, latent side first");
  public static final Setting<String> LIKELIHOOD = Setting.choice("--likelihood", "likelihood",
      Likelihood.BERNOULLI.id(), Arrays.stream(Likelihood.values()).map(Likelihood::id).toList(),
      "Observation model p(x|z)");
  public static final Setting<String> OBJECTIVE = Setting.choice("--objective", "objective",
      Objective.ELBO.id(), Arrays.stream(Objective.values()).map(Objective::id).toList(),
      "Bound trained on: elbo (the mean of --samples single-draw ELBOs) or iwae (the"
          + " importance-weighted bound log (1/K) sum p(x, z_k)/q(z_k|x), K = --samples; Burda et al."
          + " 2016)");
  public static final Setting<Integer> SAMPLES = Setting.integer("--samples", "samples", 1,
      atLeast(1), "Draws of z per row in the objective (K)");
  public static final Setting<Double> BETA =
      Setting.real("--beta", "beta", 1.0, atLeast(0), "Weight of the KL term");
  public static final Setting<Integer> KL_WARMUP_EPOCHS = Setting.integer("--kl-warmup-epochs",
      "klWarmupEpochs", 0, atLeast(0),
      "Epochs over which the KL weight rises from 0 to beta, 0 for none");
  public static final Setting<Double> LEARNING_RATE = Setting.real("--learning-rate",
      "learningRate", 1e-3, greaterThan(0), "Adam step size");
  public static final Setting<Integer> EPOCHS =
      Setting.integer("--epochs", "epochs", 10, atLeast(1), "Passes over the training rows");
  public static final Setting<Integer> BATCH_SIZE_PER_WORKER = Setting.integer(
      "--batch-size-per-worker", "batchSizePerWorker", 64, atLeast(1), "Minibatch size per worker");
  public static final Setting<Integer> AVERAGING_FREQUENCY = Setting.integer(
      "--averaging-frequency", "averagingFrequency", 5, atLeast(1),
      "Minibatches per worker between parameter averagings");
  public static final Setting<Double> VALIDATION_FRACTION = Setting.real("--validation-fraction",
      "validationFraction", 0.1, closedOpen(0, 1), "Share of rows held out for the validation ELBO");
  public static final Setting<Integer> IMPORTANCE_SAMPLES = Setting.integer(
      "--importance-samples", "importanceSamples", 100, atLeast(1),
      "K of the importance-sampled log-likelihood of up to 10,000 held-out rows (training rows if"
          + " none): the validation log-likelihood and the anomaly quantiles");
  public static final Setting<Long> SEED =
      Setting.seed("Seed of the initial weights, the validation split and the minibatches");

  /** Every setting of a VAE fit, in the order of the record. */
  public static final List<Setting<?>> DECLARED = List.of(LATENT_DIM, ENCODER, DECODER, LIKELIHOOD,
      OBJECTIVE, SAMPLES, BETA, KL_WARMUP_EPOCHS, LEARNING_RATE, EPOCHS, BATCH_SIZE_PER_WORKER,
      AVERAGING_FREQUENCY, VALIDATION_FRACTION, IMPORTANCE_SAMPLES, SEED);

  /** Every declared default. */
  public static VaeSettings defaults() {
    return from(Setting::defaultValue);
  }

  /**
   * The settings a command line or an estimator holds.
   *
   * @throws IllegalArgumentException naming the first value out of range
   */
  public static VaeSettings from(Setting.Values v) {
    return new VaeSettings(v.get(LATENT_DIM), v.get(ENCODER), v.get(DECODER),
        Likelihood.fromId(v.get(LIKELIHOOD)), Objective.fromId(v.get(OBJECTIVE)), v.get(SAMPLES), v.get(BETA), v.get(KL_WARMUP_EPOCHS),
        v.get(LEARNING_RATE), v.get(EPOCHS), v.get(BATCH_SIZE_PER_WORKER),
        v.get(AVERAGING_FREQUENCY), v.get(VALIDATION_FRACTION), v.get(IMPORTANCE_SAMPLES),
        v.get(SEED));
  }

  /**
   * @throws org.sparklvm.core.settings.InvalidSettingException naming the first value out of range
   */
  public VaeSettings {
    LATENT_DIM.check(latentDim);
    encoder = ENCODER.check(encoder).clone();
    decoder = DECODER.check(decoder).clone();
    if (likelihood == null) {
      throw new IllegalArgumentException("a likelihood is required");
    }
    if (objective == null) {
      throw new IllegalArgumentException("an objective is required");
    }
    SAMPLES.check(samples);
    BETA.check(beta);
    KL_WARMUP_EPOCHS.check(klWarmupEpochs);
    LEARNING_RATE.check(learningRate);
    EPOCHS.check(epochs);
    BATCH_SIZE_PER_WORKER.check(batchSizePerWorker);
    AVERAGING_FREQUENCY.check(averagingFrequency);
    VALIDATION_FRACTION.check(validationFraction);
    IMPORTANCE_SAMPLES.check(importanceSamples);
  }

  @Override
  public int[] encoder() {
    return encoder.clone();
  }

  @Override
  public int[] decoder() {
    return decoder.clone();
  }

  /**
   * The network these settings describe for rows of {@code inputDim} features, its noise drawn for
   * minibatches of up to {@code maxBatch} rows.
   */
  public VaeArchitecture architecture(int inputDim, int maxBatch) {
    return new VaeArchitecture(inputDim, latentDim, encoder, decoder, likelihood, objective,
        samples, beta, learningRate, maxBatch, seed);
  }
}
