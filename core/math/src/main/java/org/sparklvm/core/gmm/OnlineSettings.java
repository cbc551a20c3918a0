package org.sparklvm.core.gmm;

import static org.sparklvm.core.settings.Setting.Range.atLeast;

import java.io.Serializable;
import java.util.List;
import org.sparklvm.core.settings.Setting;

/**
 * The settings of online (stepwise) EM that batch EM does not have, declared here once; the rest
 * (k, covariance, tolerance, regularisation, initialisation, seed) are the {@link EmSettings}. The
 * tolerance is then compared with the change of the mean log-likelihood from one pass to the next.
 *
 * @param batchRows rows of a mini-batch (about; the last of a pass may be smaller)
 * @param stepDecay exponent {@code a} of the step size {@code gamma_t = (t + 2)^-a}, in {@code (0.5,
 *     1]}: 1 averages every batch seen alike (batch EM's statistics, lagging), smaller forgets old
 *     mixtures' statistics faster
 * @param maxPasses most passes over the data
 */
public record OnlineSettings(int batchRows, double stepDecay, int maxPasses)
    implements Serializable {

  public static final Setting<Integer> BATCH_ROWS = Setting.integer("--batch-rows", "batchRows",
      20_000, atLeast(1), "Rows of a mini-batch of online EM, one M-step after each");
  public static final Setting<Double> STEP_DECAY = Setting.real("--step-decay", "stepDecay", 0.6,
      new Setting.Range(0.5, false, 1.0, true),
      "Exponent a of online EM's step size (t + 2)^-a after mini-batch t");
  public static final Setting<Integer> MAX_PASSES = Setting.integer("--max-passes", "maxPasses", 3,
      atLeast(1), "Most passes of online EM over the data");

  /** Every setting of online EM, in the order of the record. */
  public static final List<Setting<?>> DECLARED = List.of(BATCH_ROWS, STEP_DECAY, MAX_PASSES);

  /**
   * @throws org.sparklvm.core.settings.InvalidSettingException naming the first value out of range
   */
  public OnlineSettings {
    BATCH_ROWS.check(batchRows);
    STEP_DECAY.check(stepDecay);
    MAX_PASSES.check(maxPasses);
  }

  /** The declared defaults. */
  public static OnlineSettings defaults() {
    return from(Setting::defaultValue);
  }

  /**
   * The settings a command line or an estimator holds.
   *
   * @throws org.sparklvm.core.settings.InvalidSettingException naming the first value out of range
   */
  public static OnlineSettings from(Setting.Values values) {
    return new OnlineSettings(values.get(BATCH_ROWS), values.get(STEP_DECAY),
        values.get(MAX_PASSES));
  }

  /** {@code gamma_t = (t + 2)^-a}: the weight of mini-batch {@code t} (counted from 0 over all passes). */
  public double stepSize(long t) {
    return Math.pow(t + 2.0, -stepDecay);
  }
}
