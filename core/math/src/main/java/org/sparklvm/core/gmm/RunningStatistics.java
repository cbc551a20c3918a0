package org.sparklvm.core.gmm;

import java.io.Serializable;

/**
 * Sufficient statistics per unit weight that outlive the mixture they were taken under: the running
 * average {@code s <- (1 - gamma) s + gamma s_hat} of stepwise EM. Per component {@code k}: the
 * normalised mass {@code n_k = sum w r_k / sum w}, and the first and second moments about an anchor
 * {@code a_k}, {@code sum w r_k (x - a_k) / sum w} and {@code sum w r_k (x - a_k)(x - a_k)^T / sum w}
 * (only the diagonal for diag and spherical covariances).
 *
 * <p>The anchor is bookkeeping, not a parameter: moving it from {@code a} to {@code b} is the exact
 * shift {@code f' = f + n delta}, {@code S' = S + delta f^T + f delta^T + n delta delta^T} with
 * {@code delta = a - b}, so statistics about any anchors describe the same sums {@code sum w r x} and
 * {@code sum w r x x^T}. They are kept about the latest mixture's means, where {@link
 * SufficientStatistics} takes its own (so a blend shifts by one step's move, not by the distance to
 * the origin, and the covariance never subtracts two large numbers), and {@link #toStatistics} hands
 * them to the same {@link MaximizationStep} that batch EM uses.
 */
public final class RunningStatistics implements Serializable {

  private static final long serialVersionUID = 1L;

  private final CovarianceType type;
  private final int k;
  private final int d;
  private final boolean full;
  private final double[][] anchors;
  private final double[] mass;
  private final double[] first;
  private final double[] second;

  /** Empty statistics (no mass) of a {@code k}-component mixture of {@code type} in {@code d} dimensions. */
  public RunningStatistics(CovarianceType type, int k, int d) {
    this.type = type;
    this.k = k;
    this.d = d;
    this.full = type.family().needsFullSecondMoment();
    this.anchors = new double[k][d];
    this.mass = new double[k];
    this.first = new double[k * d];
    this.second = new double[full ? k * d * d : k * d];
  }

  /**
   * The statistics of {@code batch} per unit weight, about the means of the mixture it was taken
   * under.
   *
   * @throws IllegalArgumentException when the batch has no weight
   */
  public static RunningStatistics of(SufficientStatistics batch) {
    GaussianMixtureModel m = batch.model();
    RunningStatistics s = new RunningStatistics(m.covarianceType(), m.k(), m.dim());
    return s.blend(batch, 1.0);
  }

  /**
   * Statistics of total mass 1 whose M-step (with {@code regCovar}) is {@code model} itself: mass
   * {@code pi_k}, no first moment about {@code mu_k}, second moment {@code pi_k (Sigma_k - regCovar
   * I)}. What the average restarts from when the M-step had to reinitialise a component.
   */
  public static RunningStatistics implied(GaussianMixtureModel model, double regCovar) {
    int k = model.k();
    int d = model.dim();
    RunningStatistics s = new RunningStatistics(model.covarianceType(), k, d);
    double[] weights = model.weights();
    for (int c = 0; c < k; c++) {
      s.anchors[c] = model.mean(c);
      s.mass[c] = weights[c];
      double[] cov = model.covariance(c);
      for (int i = 0; i < d; i++) {
        cov[i * d + i] -= regCovar;
      }
      if (s.full) {
        for (int i = 0; i < d * d; i++) {
          s.second[c * d * d + i] = weights[c] * cov[i];
        }
      } else {
        for (int j = 0; j < d; j++) {
          s.second[c * d + j] = weights[c] * cov[j * d + j];
        }
      }
    }
    return s;
  }

  /**
   * {@code this <- (1 - step) this + step s_hat}, {@code s_hat} the statistics of {@code batch} per
   * unit weight; both are first moved to the means of the mixture the batch was taken under.
   *
   * @param step the weight of the batch, in {@code (0, 1]}
   * @return this
   * @throws IllegalArgumentException when the step is outside {@code (0, 1]}, the batch has no
   *     weight, or it was taken under a mixture of another family or shape
   */
  public RunningStatistics blend(SufficientStatistics batch, double step) {
    if (!(step > 0.0 && step <= 1.0)) {
      throw new IllegalArgumentException("a step must lie in (0, 1], got " + step);
    }
    if (!(batch.totalWeight() > 0.0)) {
      throw new IllegalArgumentException("cannot average a batch without weight");
    }
    GaussianMixtureModel m = batch.model();
    if (m.covarianceType() != type || m.k() != k || m.dim() != d) {
      throw new IllegalArgumentException("statistics of a " + type.id() + " mixture of k=" + k
          + ", d=" + d + " cannot take a batch under " + m);
    }
    double[][] means = new double[k][];
    for (int c = 0; c < k; c++) {
      means[c] = m.mean(c);
    }
    reanchor(means);
    double keep = 1.0 - step;
    double scale = step / batch.totalWeight();
    int size = full ? d * d : d;
    for (int c = 0; c < k; c++) {
      mass[c] = keep * mass[c] + scale * batch.mass(c);
      double[] f = batch.firstMoment(c);
      for (int j = 0; j < d; j++) {
        first[c * d + j] = keep * first[c * d + j] + scale * f[j];
      }
      double[] s = batch.secondMoment(c);
      for (int i = 0; i < size; i++) {
        second[c * size + i] = keep * second[c * size + i] + scale * s[i];
      }
    }
    return this;
  }

  /**
   * These statistics as {@link SufficientStatistics} about {@code model}'s means, ready for {@link
   * MaximizationStep#apply}. This object is moved to the same anchors.
   *
   * @throws IllegalArgumentException when {@code model} is of another family or shape
   */
  public SufficientStatistics toStatistics(GaussianMixtureModel model) {
    if (model.covarianceType() != type || model.k() != k || model.dim() != d) {
      throw new IllegalArgumentException("statistics of a " + type.id() + " mixture of k=" + k
          + ", d=" + d + " cannot be taken about " + model);
    }
    double[][] means = new double[k][];
    for (int c = 0; c < k; c++) {
      means[c] = model.mean(c);
    }
    reanchor(means);
    return SufficientStatistics.ofMoments(model, mass, first, second, 0.0, totalMass(), 0);
  }

  /** {@code sum_k n_k}: 1 once a batch has been taken with step 1, less while the first is blended in. */
  public double totalMass() {
    double t = 0.0;
    for (double n : mass) {
      t += n;
    }
    return t;
  }

  /** {@code n_k = sum w r_k / sum w}. */
  public double mass(int component) {
    return mass[component];
  }

  /** {@code sum w r_k x / sum w}, whatever the anchor. */
  public double[] firstMomentAboutOrigin(int component) {
    double[] out = new double[d];
    for (int j = 0; j < d; j++) {
      out[j] = first[component * d + j] + mass[component] * anchors[component][j];
    }
    return out;
  }

  /** {@code sum w r_k x x^T / sum w} (its diagonal for diag and spherical), whatever the anchor. */
  public double[] secondMomentAboutOrigin(int component) {
    int size = full ? d * d : d;
    double[] s = new double[size];
    System.arraycopy(second, component * size, s, 0, size);
    double[] f = new double[d];
    System.arraycopy(first, component * d, f, 0, d);
    shiftSecond(s, f, mass[component], anchors[component]);
    return s;
  }

  /** Moves every component's moments to the new anchors. */
  private void reanchor(double[][] to) {
    int size = full ? d * d : d;
    double[] s = new double[size];
    double[] f = new double[d];
    double[] delta = new double[d];
    for (int c = 0; c < k; c++) {
      double n = mass[c];
      for (int j = 0; j < d; j++) {
        delta[j] = anchors[c][j] - to[c][j];
        f[j] = first[c * d + j];
      }
      System.arraycopy(second, c * size, s, 0, size);
      shiftSecond(s, f, n, delta);
      System.arraycopy(s, 0, second, c * size, size);
      for (int j = 0; j < d; j++) {
        first[c * d + j] = f[j] + n * delta[j];
      }
      anchors[c] = to[c].clone();
    }
  }

  /**
   * {@code S + delta f^T + f delta^T + n delta delta^T} in place: the second moment about {@code a -
   * delta} from the one about {@code a}, {@code f} the first moment about {@code a}.
   */
  private void shiftSecond(double[] s, double[] f, double n, double[] delta) {
    if (full) {
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          s[i * d + j] += delta[i] * f[j] + f[i] * delta[j] + n * delta[i] * delta[j];
        }
      }
    } else {
      for (int j = 0; j < d; j++) {
        s[j] += 2.0 * delta[j] * f[j] + n * delta[j] * delta[j];
      }
    }
  }
}
