package org.sparklvm.core.gmm;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Random;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.linalg.Cholesky;

/**
 * A fitted Gaussian mixture {@code p(x) = sum_k pi_k N(x | mu_k, Sigma_k)}: the parameters, validated
 * once here, and what can be computed from them (log-densities, responsibilities, samples).
 *
 * <p>Covariances are stored as full row-major {@code d x d} matrices whatever the {@link
 * CovarianceType}; the type says which entries are free (and counts parameters for BIC).
 */
public final class GaussianMixtureModel implements Serializable {

  private static final long serialVersionUID = 1L;

  private final CovarianceType covarianceType;
  private final double[] weights;
  private final double[][] means;
  private final double[][] covariances;
  private transient volatile Cholesky[] factors;
  private transient volatile MixtureDensity density;

  /**
   * @param weights mixing weights, positive and summing to 1 (within 1e-6; renormalised)
   * @param means one mean per component, all of the same dimension
   * @param covariances one row-major {@code d x d} symmetric positive-definite matrix per component
   *     (for {@code TIED}, all equal)
   * @throws IllegalArgumentException naming the component and what is wrong with it
   */
  public GaussianMixtureModel(
      CovarianceType covarianceType, double[] weights, double[][] means, double[][] covariances) {
    int k = weights.length;
    if (k < 1) {
      throw new IllegalArgumentException("a mixture needs at least one component");
    }
    if (means.length != k || covariances.length != k) {
      throw new IllegalArgumentException(
          "found " + k + " weights, " + means.length + " means and " + covariances.length
              + " covariances");
    }
    int d = means[0].length;
    double sum = 0.0;
    for (int c = 0; c < k; c++) {
      if (!(weights[c] > 0.0) || !Double.isFinite(weights[c])) {
        throw new IllegalArgumentException("component " + c + " has weight " + weights[c]);
      }
      sum += weights[c];
      if (means[c].length != d) {
        throw new IllegalArgumentException(
            "component " + c + " has a mean of length " + means[c].length + ", expected " + d);
      }
      if (covariances[c].length != d * d) {
        throw new IllegalArgumentException(
            "component " + c + " has " + covariances[c].length + " covariance entries, expected "
                + d * d);
      }
      for (double v : means[c]) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("component " + c + " has a non-finite mean " + v);
        }
      }
    }
    if (Math.abs(sum - 1.0) > 1e-6) {
      throw new IllegalArgumentException("mixing weights sum to " + sum + ", expected 1");
    }
    this.covarianceType = covarianceType;
    this.weights = new double[k];
    this.means = new double[k][];
    this.covariances = new double[k][];
    for (int c = 0; c < k; c++) {
      this.weights[c] = weights[c] / sum;
      this.means[c] = means[c].clone();
      this.covariances[c] = covariances[c].clone();
    }
    factors();
  }

  public CovarianceType covarianceType() {
    return covarianceType;
  }

  /** Number of components. */
  public int k() {
    return weights.length;
  }

  /** Dimension of the data. */
  public int dim() {
    return means[0].length;
  }

  public double[] weights() {
    return weights.clone();
  }

  public double[] mean(int component) {
    return means[component].clone();
  }

  /** Row-major {@code d x d} covariance of a component. */
  public double[] covariance(int component) {
    return covariances[component].clone();
  }

  /** Free parameters, for BIC and AIC. */
  public long freeParameters() {
    return covarianceType.freeParameters(k(), dim());
  }

  private Cholesky[] factors() {
    Cholesky[] f = factors;
    if (f == null) {
      int k = k();
      int d = dim();
      f = new Cholesky[k];
      for (int c = 0; c < k; c++) {
        double[] cov = covariances[c];
        for (int i = 0; i < d; i++) {
          for (int j = 0; j < i; j++) {
            double a = cov[i * d + j];
            double b = cov[j * d + i];
            if (Math.abs(a - b) > 1e-9 * (Math.abs(a) + Math.abs(b)) + 1e-300) {
              throw new IllegalArgumentException(
                  "component " + c + " has a covariance that is not symmetric at (" + i + ", " + j
                      + "): " + a + " vs " + b);
            }
          }
        }
        final int comp = c;
        f[c] = Cholesky.of(cov, d)
            .orElseThrow(() -> new IllegalArgumentException(
                "component " + comp + " has a covariance that is not positive definite"));
      }
      factors = f;
    }
    return f;
  }

  MixtureDensity density() {
    MixtureDensity m = density;
    if (m == null) {
      m = covarianceType.family().density(this, factors());
      density = m;
    }
    return m;
  }

  /**
   * Log-density {@code log p(x)} and responsibilities of each row of a block.
   *
   * @param logDensity output, one per row
   * @param responsibilities output (rows x k, row-major), or {@code null} when not wanted
   * @throws IllegalArgumentException when the block's dimension is not the model's
   */
  public void evaluate(RowBlock block, double[] logDensity, double[] responsibilities) {
    checkDim(block.dim());
    int k = k();
    double[] joint = responsibilities != null ? responsibilities : new double[block.rows() * k];
    density().logJoint(block, joint, new MixtureDensity.Workspace());
    for (int r = 0; r < block.rows(); r++) {
      logDensity[r] = MixtureDensity.normalizeRow(joint, r * k, k);
    }
  }

  /** {@code log p(x)} of one row. */
  public double logDensity(double[] x) {
    double[] out = new double[1];
    evaluate(new RowBlock(1, x.length, x, null), out, null);
    return out[0];
  }

  /** Responsibilities {@code p(component | x)} of one row. */
  public double[] responsibilities(double[] x) {
    double[] resp = new double[k()];
    evaluate(new RowBlock(1, x.length, x, null), new double[1], resp);
    return resp;
  }

  /**
   * Draws one row by ancestral sampling: a component from the weights, then {@code mu + L z}.
   *
   * @param out receives the row
   * @return the component drawn
   */
  public int sample(Random random, double[] out) {
    double u = random.nextDouble();
    int c = 0;
    double acc = weights[0];
    while (u >= acc && c < k() - 1) {
      c++;
      acc += weights[c];
    }
    int d = dim();
    double[] z = new double[d];
    for (int j = 0; j < d; j++) {
      z[j] = random.nextGaussian();
    }
    factors()[c].multiplyLower(z, out);
    for (int j = 0; j < d; j++) {
      out[j] += means[c][j];
    }
    return c;
  }

  /**
   * Whether {@code other} holds exactly these parameters: the same family, weights, means and
   * covariances, bit for bit (a deserialised copy does). Costs {@code O(k d^2)} when they agree, as
   * much as merging two statistics does; different mixtures usually differ in the first weight.
   */
  boolean hasSameParameters(GaussianMixtureModel other) {
    return other == this
        || (other.covarianceType == covarianceType
            && Arrays.equals(other.weights, weights)
            && Arrays.deepEquals(other.means, means)
            && Arrays.deepEquals(other.covariances, covariances));
  }

  void checkDim(int dim) {
    if (dim != dim()) {
      throw new IllegalArgumentException(
          "rows have " + dim + " features but the model has " + dim());
    }
  }

  @Override
  public String toString() {
    return "GaussianMixtureModel(" + covarianceType.id() + ", k=" + k() + ", d=" + dim()
        + ", weights=" + Arrays.toString(weights) + ")";
  }
}
