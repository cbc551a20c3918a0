package org.sparklvm.core.vae;

import static org.sparklvm.core.settings.Setting.Range.atLeast;
import static org.sparklvm.core.settings.Setting.Range.greaterThan;

import java.io.Serializable;
import java.util.List;
import org.sparklvm.core.settings.Setting;

/**
 * How a row's {@code q(z|x)} is refined before it is used ({@code vae score}, {@code vae encode}):
 * starting from the encoder's mean and log-variance, {@code steps} steps of Adam (Kingma and Ba 2015;
 * beta1 0.9, beta2 0.999) ascend the row's own ELBO with respect to them, the decoder fixed, each
 * gradient from {@code samples} reparameterised draws with the KL term exact. The step size is
 * {@code learningRate} for the first half of the steps, then falls linearly to {@code
 * learningRate / steps} at the last. This closes the
 * amortisation gap (Cremer, Li and Duvenaud 2018): the encoder's q is the same function for every
 * row, the refined one is fitted to the row (semi-amortised inference, Kim et al. 2018).
 *
 * @param steps gradient steps per row, 0 for the encoder's q itself
 * @param learningRate Adam's step size, in the units of the mean and of the log-variance
 * @param samples reparameterised draws per gradient
 */
public record RefinementSettings(int steps, double learningRate, int samples)
    implements Serializable {

  public static final Setting<Integer> STEPS = Setting.integer("--refine-steps", "refineSteps", 0,
      atLeast(0), "Adam steps on each row's own ELBO with respect to its q(z|x), from the"
          + " encoder's, before scoring or encoding (0: the encoder's q)");
  public static final Setting<Double> LEARNING_RATE = Setting.real("--refine-learning-rate",
      "refineLearningRate", 0.05, greaterThan(0), "Adam step size of --refine-steps (for the first half; then falling linearly to 1/steps"
          + " of it)");
  public static final Setting<Integer> SAMPLES = Setting.integer("--refine-samples",
      "refineSamples", 4, atLeast(1), "Draws of z per gradient of --refine-steps");

  /** Every refinement setting. */
  public static final List<Setting<?>> DECLARED = List.of(STEPS, LEARNING_RATE, SAMPLES);

  /** The encoder's q, unrefined. */
  public static final RefinementSettings NONE = defaults();

  /**
   * @throws org.sparklvm.core.settings.InvalidSettingException naming the first value out of range
   */
  public RefinementSettings {
    STEPS.check(steps);
    LEARNING_RATE.check(learningRate);
    SAMPLES.check(samples);
  }

  /** Every declared default: no refinement. */
  public static RefinementSettings defaults() {
    return from(Setting::defaultValue);
  }

  /**
   * @throws org.sparklvm.core.settings.InvalidSettingException naming the first value out of range
   */
  public static RefinementSettings from(Setting.Values v) {
    return new RefinementSettings(v.get(STEPS), v.get(LEARNING_RATE), v.get(SAMPLES));
  }

  /** Whether q is refined at all. */
  public boolean refines() {
    return steps > 0;
  }
}
