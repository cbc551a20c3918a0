package org.sparklvm.core.gmm;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Random;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.linalg.Cholesky;

/**
 * A fitted Gaussian mixture {@code p(x) = sum_k pi_k N(x | mu_k, Sigma_k)}: the parameters, validated
 * once here, and what can be computed from them (log-densities, responsibilities, samples). The
 * constructor checks what the EM loop can get wrong; {@link #validated} checks all the structure a
 * mixture read from storage could get wrong too.
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
   * A mixture from parameters made by this library (the M-step, the initialiser): counts, sizes and
   * weights are checked, and the covariances only as far as their Cholesky factors need (symmetric,
   * positive definite). Parameters read from storage go through {@link #validated} instead.
   *
   * @param weights mixing weights, positive and summing to 1 (within 1e-6; renormalised)
   * @param means one mean per component, all of the same dimension
   * @param covariances one row-major {@code d x d} symmetric positive-definite matrix per component
   *     (for {@code TIED}, all equal)
   * @throws IllegalArgumentException naming the component and what is wrong with it
   */
  public GaussianMixtureModel(
      CovarianceType covarianceType, double[] weights, double[][] means, double[][] covariances) {
    double sum = MixtureValidation.checkShapes(weights, means, covariances);
    int k = weights.length;
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

  /**
   * A mixture from parameters read from storage or given by a user, checked for every structural
   * property the constructor takes on trust: finite covariances, symmetric to {@code 1e-9} of {@code
   * sqrt(|Sigma_ii Sigma_jj|)}, of the family's form (a diagonal covariance has no off-diagonal entries,
   * tied covariances are equal, a spherical one has one variance) and positive definite; finite
   * positive weights summing to one within {@code 1e-6}; means and covariances of one dimension.
   *
   * @throws IllegalArgumentException naming the component and the entry that is wrong, such as
   *     "component 2: a diagonal covariance has off-diagonal entry (0, 1) = 0.3"
   */
  public static GaussianMixtureModel validated(
      CovarianceType covarianceType, double[] weights, double[][] means, double[][] covariances) {
    MixtureValidation.checkShapes(weights, means, covariances);
    MixtureValidation.checkStructure(covarianceType, covariances, means[0].length);
    // Positive definiteness is the Cholesky factorisation the constructor does anyway.
    return new GaussianMixtureModel(covarianceType, weights, means, covariances);
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
        MixtureValidation.checkSymmetric(c, covariances[c], d);
        final int comp = c;
        f[c] = Cholesky.of(covariances[c], d)
            .orElseThrow(() -> new IllegalArgumentException(
                "component " + comp + ": covariance is not positive definite"));
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
