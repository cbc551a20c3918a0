package org.sparklvm.jobs.vae;

import java.io.Serializable;

/**
 * What the workers of one averaging round send back, summed: parameters and updater state (to be
 * divided by the number of workers, as dl4j-spark's ParameterAveragingTrainingMaster does with
 * {@code saveUpdater}), the summed minibatch losses, and the slowest worker's fitting time.
 *
 * <p>Merging two sums is the same as one sum over both sets of workers: the arrays add, the counts
 * add, and the fitting time keeps the maximum (the round waits for its slowest worker).
 */
final class ParameterSum implements Serializable {

  private static final long serialVersionUID = 1L;

  private float[] params;
  private float[] updaterState;
  private int workers;
  private int batches;
  private int maxBatches;
  private double lossSum;
  private long maxFitNanos;
  private long maxCopyNanos;

  /** One worker's share of a round. */
  static ParameterSum of(float[] params, float[] updaterState, int batches, double lossSum,
      long fitNanos, long copyNanos) {
    ParameterSum s = new ParameterSum();
    s.params = params;
    s.updaterState = updaterState;
    s.workers = 1;
    s.batches = batches;
    s.maxBatches = batches;
    s.lossSum = lossSum;
    s.maxFitNanos = fitNanos;
    s.maxCopyNanos = copyNanos;
    return s;
  }

  /** Adds {@code other} into this sum (which it may change) and returns it. */
  ParameterSum merge(ParameterSum other) {
    if (other.workers == 0) {
      return this;
    }
    if (workers == 0) {
      return other;
    }
    add(params, other.params);
    add(updaterState, other.updaterState);
    workers += other.workers;
    batches += other.batches;
    maxBatches = Math.max(maxBatches, other.maxBatches);
    lossSum += other.lossSum;
    maxFitNanos = Math.max(maxFitNanos, other.maxFitNanos);
    maxCopyNanos = Math.max(maxCopyNanos, other.maxCopyNanos);
    return this;
  }

  private static void add(float[] into, float[] x) {
    if (into.length != x.length) {
      throw new IllegalStateException("workers sent " + into.length + " and " + x.length
          + " values");
    }
    for (int i = 0; i < into.length; i++) {
      into[i] += x[i];
    }
  }

  /** The mean parameters over the workers that trained. */
  float[] meanParams() {
    return mean(params);
  }

  /** The mean updater state over the workers that trained. */
  float[] meanUpdaterState() {
    return mean(updaterState);
  }

  private float[] mean(float[] sum) {
    float[] out = sum.clone();
    if (workers > 1) {
      for (int i = 0; i < out.length; i++) {
        out[i] /= workers;
      }
    }
    return out;
  }

  int workers() {
    return workers;
  }

  int batches() {
    return batches;
  }

  /** The most minibatches one worker fitted: how far the global iteration count moves. */
  int maxBatches() {
    return maxBatches;
  }

  double lossSum() {
    return lossSum;
  }

  long maxFitNanos() {
    return maxFitNanos;
  }

  /** The longest a worker spent copying state into and out of its network. */
  long maxCopyNanos() {
    return maxCopyNanos;
  }
}
