package org.sparklvm.core.gmm;

import java.io.Serializable;
import java.util.Arrays;
import org.sparklvm.core.linalg.Cholesky;

/**
 * The variational posterior of a Bayesian Gaussian mixture after an M-step, holding what scikit-learn's
 * {@code BayesianGaussianMixture} stores: the weights' concentrations ({@code weight_concentration_}),
 * and per component the Normal-Wishart {@code q(mu_k, Lambda_k) = N(mu_k | m_k, (beta_k Lambda_k)^-1)
 * W(Lambda_k | W_k, nu_k)} as {@code beta_k} ({@code mean_precision_}), {@code m_k} ({@code means_}),
 * {@code nu_k} ({@code degrees_of_freedom_}) and {@code (nu_k W_k)^-1 = E[Lambda_k]^-1} ({@code
 * covariances_}); Bishop, PRML 10.2, eqs. 10.58-10.63.
 *
 * <p>Layouts: the weight concentration has two rows of {@code k} for a Dirichlet process (the stick
 * posteriors {@code Beta(a_k, b_k)}) and one row for a Dirichlet; covariances are row-major {@code d x
 * d} matrices whatever the type, as in {@link GaussianMixtureModel} (tied: {@code k} equal copies, and
 * {@code k} equal degrees of freedom, where scikit-learn keeps one).
 *
 * <p>Two mixtures are made from it. {@link #expectedMixture()} is the scoring density, scikit-learn's
 * {@code weights_}, {@code means_} and {@code covariances_}. {@link #expectationMixture()} is the
 * mixture whose ordinary E-step gives the variational responsibilities (PRML eq. 10.46-10.49):
 * {@code log rho_nk = E[log pi_k] + 1/2 E[log |Lambda_k|] - d / (2 beta_k) - d/2 log 2 pi - nu_k/2 (x_n -
 * m_k)^T W_k (x_n - m_k)}, which is {@code log w'_k + log N(x_n | m_k, (nu_k W_k)^-1)} with {@code log
 * w'_k = E[log pi_k] + 1/2 E[log |Lambda_k|] - d / (2 beta_k) - 1/2 log |nu_k W_k|}, normalised by its
 * log-sum-exp ({@link #expectationLogWeightShift()}). As in scikit-learn, {@code E[log |Lambda_k|] =
 * sum_{i<d} psi((nu_k - i)/2) + d log 2 + log |W_k|} for every covariance type.
 */
public final class VariationalPosterior implements Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * A weight below this (about {@code exp(-690)}: a component far down a long stick, whose weight
   * underflows) is raised to it, so that every component stays a valid mixture component; the
   * weights move by at most {@code k * 1e-300} in all.
   */
  static final double WEIGHT_FLOOR = 1e-300;

  private final MixturePrior prior;
  private final double[][] weightConcentration;
  private final double[] meanPrecision;
  private final double[][] means;
  private final double[] degreesOfFreedom;
  private final double[][] covariances;
  private transient volatile GaussianMixtureModel expectation;
  private transient volatile Cholesky[] factors;

  private VariationalPosterior(MixturePrior prior, double[][] weightConcentration,
      double[] meanPrecision, double[][] means, double[] degreesOfFreedom, double[][] covariances) {
    this.prior = prior;
    this.weightConcentration = deepCopy(weightConcentration);
    this.meanPrecision = meanPrecision.clone();
    this.means = deepCopy(means);
    this.degreesOfFreedom = degreesOfFreedom.clone();
    this.covariances = deepCopy(covariances);
  }

  /**
   * A posterior from stored (or computed) arrays, checked for shape and range.
   *
   * @param weightConcentration two rows of {@code k} (Dirichlet process) or one (Dirichlet), positive
   * @param meanPrecision {@code k} positive values
   * @param means {@code k} means of the prior's dimension
   * @param degreesOfFreedom {@code k} values above {@code d - 1}
   * @param covariances {@code k} symmetric positive-definite row-major {@code d x d} matrices of the
   *     prior's covariance type (diagonal for diag, {@code sigma^2 I} for spherical, equal for tied)
   * @throws IllegalArgumentException naming the field, such as "found 3 mean precisions but 4
   *     components"
   */
  public static VariationalPosterior of(MixturePrior prior, double[][] weightConcentration,
      double[] meanPrecision, double[][] means, double[] degreesOfFreedom, double[][] covariances) {
    if (prior == null || weightConcentration == null || meanPrecision == null || means == null
        || degreesOfFreedom == null || covariances == null) {
      throw new IllegalArgumentException("a variational posterior needs a prior and every array");
    }
    int k = means.length;
    int d = prior.dim();
    if (k < 1) {
      throw new IllegalArgumentException("a variational posterior needs at least one component");
    }
    int rows = prior.weightPrior() == WeightPrior.DIRICHLET_PROCESS ? 2 : 1;
    if (weightConcentration.length != rows) {
      throw new IllegalArgumentException("found " + weightConcentration.length
          + " rows of weight concentrations but a " + prior.weightPrior().id() + " prior has "
          + rows);
    }
    for (double[] row : weightConcentration) {
      count(row, k, "weight concentrations");
      positive(row, "weight concentration");
    }
    count(meanPrecision, k, "mean precisions");
    positive(meanPrecision, "mean precision");
    count(degreesOfFreedom, k, "degrees of freedom");
    for (int c = 0; c < k; c++) {
      if (!(degreesOfFreedom[c] > d - 1.0) || !Double.isFinite(degreesOfFreedom[c])) {
        throw new IllegalArgumentException("component " + c + ": degrees of freedom "
            + degreesOfFreedom[c] + " not above d - 1 = " + (d - 1));
      }
    }
    if (prior.covarianceType() == CovarianceType.TIED) {
      for (int c = 1; c < k; c++) {
        if (degreesOfFreedom[c] != degreesOfFreedom[0]) {
          throw new IllegalArgumentException("component " + c + ": tied degrees of freedom "
              + degreesOfFreedom[c] + " differ from component 0's " + degreesOfFreedom[0]);
        }
      }
    }
    if (covariances.length != k) {
      throw new IllegalArgumentException(
          "found " + covariances.length + " covariances but " + k + " components");
    }
    for (int c = 0; c < k; c++) {
      if (means[c] == null || means[c].length != d) {
        throw new IllegalArgumentException("component " + c + ": mean has "
            + (means[c] == null ? 0 : means[c].length) + " entries, the prior has " + d);
      }
      for (double v : means[c]) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("component " + c + ": mean entry is " + v);
        }
      }
      if (covariances[c] == null || covariances[c].length != d * d) {
        throw new IllegalArgumentException("component " + c + ": covariance has "
            + (covariances[c] == null ? 0 : covariances[c].length) + " entries, expected "
            + d * d + " (" + d + " x " + d + ")");
      }
    }
    MixtureValidation.checkStructure(prior.covarianceType(), covariances, d);
    VariationalPosterior q = new VariationalPosterior(prior, weightConcentration, meanPrecision,
        means, degreesOfFreedom, covariances);
    q.factors();
    return q;
  }

  /** From the M-step, whose arrays are of the right shapes by construction: no checks. */
  static VariationalPosterior trusted(MixturePrior prior, double[][] weightConcentration,
      double[] meanPrecision, double[][] means, double[] degreesOfFreedom, double[][] covariances) {
    return new VariationalPosterior(prior, weightConcentration, meanPrecision, means,
        degreesOfFreedom, covariances);
  }

  public MixturePrior prior() {
    return prior;
  }

  /** Number of components (the truncation {@code k}). */
  public int k() {
    return means.length;
  }

  public int dim() {
    return prior.dim();
  }

  /**
   * The weights' posterior: {@code {a, b}} of the sticks' Betas for a Dirichlet process, {@code
   * {alpha}} for a Dirichlet.
   */
  public double[][] weightConcentration() {
    return deepCopy(weightConcentration);
  }

  /** {@code beta_k}. */
  public double[] meanPrecision() {
    return meanPrecision.clone();
  }

  /** {@code m_k}, {@code k x d}. */
  public double[][] means() {
    return deepCopy(means);
  }

  /** {@code nu_k}. */
  public double[] degreesOfFreedom() {
    return degreesOfFreedom.clone();
  }

  /** {@code (nu_k W_k)^-1}, row-major {@code d x d} each. */
  public double[][] covariances() {
    return deepCopy(covariances);
  }

  /**
   * The posterior mean of the weights, scikit-learn's {@code weights_}: {@code alpha_k / sum alpha}
   * for a Dirichlet; for a Dirichlet process {@code E[v_k] prod_{j<k} E[1 - v_j]}, renormalised over
   * the {@code k} sticks.
   */
  public double[] expectedWeights() {
    int k = k();
    double[] w = new double[k];
    double sum = 0.0;
    if (prior.weightPrior() == WeightPrior.DIRICHLET_PROCESS) {
      double[] a = weightConcentration[0];
      double[] b = weightConcentration[1];
      double rest = 1.0;
      for (int c = 0; c < k; c++) {
        w[c] = a[c] / (a[c] + b[c]) * rest;
        rest *= b[c] / (a[c] + b[c]);
        sum += w[c];
      }
    } else {
      for (int c = 0; c < k; c++) {
        sum += weightConcentration[0][c];
      }
      for (int c = 0; c < k; c++) {
        w[c] = weightConcentration[0][c];
      }
    }
    for (int c = 0; c < k; c++) {
      w[c] /= sum;
    }
    return w;
  }

  /**
   * {@code E[log pi_k]}: {@code psi(alpha_k) - psi(sum alpha)} for a Dirichlet (PRML eq. 10.66); for
   * the sticks {@code psi(a_k) - psi(a_k + b_k) + sum_{j<k} (psi(b_j) - psi(a_j + b_j))} (Blei and
   * Jordan 2006, eq. 22).
   */
  double[] expectedLogWeights() {
    int k = k();
    double[] out = new double[k];
    if (prior.weightPrior() == WeightPrior.DIRICHLET_PROCESS) {
      double[] a = weightConcentration[0];
      double[] b = weightConcentration[1];
      double before = 0.0;
      for (int c = 0; c < k; c++) {
        double psiSum = GammaFunctions.digamma(a[c] + b[c]);
        out[c] = GammaFunctions.digamma(a[c]) - psiSum + before;
        before += GammaFunctions.digamma(b[c]) - psiSum;
      }
    } else {
      double total = 0.0;
      for (double alpha : weightConcentration[0]) {
        total += alpha;
      }
      double psiTotal = GammaFunctions.digamma(total);
      for (int c = 0; c < k; c++) {
        out[c] = GammaFunctions.digamma(weightConcentration[0][c]) - psiTotal;
      }
    }
    return out;
  }

  /** The unnormalised {@code log w'_k} of the class comment. */
  double[] expectationLogWeights() {
    int d = dim();
    double[] logW = expectedLogWeights();
    for (int c = 0; c < k(); c++) {
      double nu = degreesOfFreedom[c];
      double psi = 0.0;
      for (int i = 0; i < d; i++) {
        psi += GammaFunctions.digamma(0.5 * (nu - i));
      }
      logW[c] += 0.5 * (d * Math.log(2.0) + psi) - 0.5 * d * Math.log(nu)
          - 0.5 * d / meanPrecision[c];
    }
    return logW;
  }

  /**
   * The log-sum-exp of the unnormalised {@code log w'_k}: the E-step under {@link
   * #expectationMixture()} gives {@code log sum_k rho_nk - shift} as a row's log-density.
   */
  public double expectationLogWeightShift() {
    return logSumExp(expectationLogWeights());
  }

  /**
   * The mixture whose E-step gives the variational responsibilities {@code r_nk = rho_nk / sum_j
   * rho_nj}: weights {@code w'_k} (see the class comment), means {@code m_k}, covariances {@code
   * (nu_k W_k)^-1}. Made once per posterior.
   */
  public GaussianMixtureModel expectationMixture() {
    GaussianMixtureModel m = expectation;
    if (m == null) {
      double[] logW = expectationLogWeights();
      double shift = logSumExp(logW);
      double[] w = new double[logW.length];
      for (int c = 0; c < w.length; c++) {
        w[c] = Math.max(WEIGHT_FLOOR, Math.exp(logW[c] - shift));
      }
      m = mixture(w);
      expectation = m;
    }
    return m;
  }

  /**
   * The scoring density, scikit-learn's {@code weights_, means_, covariances_} as a mixture (its
   * {@code score_samples} uses the unnormalised E-step log rho instead, not a density): weights {@link #expectedWeights()}, means {@code
   * m_k}, covariances {@code E[Lambda_k]^-1 = (nu_k W_k)^-1}.
   */
  public GaussianMixtureModel expectedMixture() {
    double[] w = expectedWeights();
    for (int c = 0; c < w.length; c++) {
      w[c] = Math.max(WEIGHT_FLOOR, w[c]);
    }
    return mixture(w);
  }

  /** Components whose expected weight is above {@code threshold}. */
  public int effectiveComponents(double threshold) {
    int n = 0;
    for (double w : expectedWeights()) {
      if (w > threshold) {
        n++;
      }
    }
    return n;
  }

  /**
   * The Cholesky factors of the covariances, made once per posterior (the bound needs them twice: for
   * this posterior's Wishart normaliser, and for the entropy of the responsibilities it gives next).
   * Tied components share one.
   *
   * @throws IllegalArgumentException naming the first component whose covariance is not positive
   *     definite
   */
  Cholesky[] factors() {
    Cholesky[] f = factors;
    if (f == null) {
      int k = k();
      f = new Cholesky[k];
      for (int c = 0; c < k; c++) {
        if (c > 0 && prior.covarianceType() == CovarianceType.TIED) {
          f[c] = f[0];
          continue;
        }
        final int comp = c;
        f[c] = Cholesky.of(covariances[c], dim()).orElseThrow(() -> new IllegalArgumentException(
            "component " + comp + ": covariance is not positive definite"));
      }
      factors = f;
    }
    return f;
  }

  /** Covariances straight from the M-step (for the bound), not copied. */
  double[][] covariancesView() {
    return covariances;
  }

  double[][] weightConcentrationView() {
    return weightConcentration;
  }

  double[] meanPrecisionView() {
    return meanPrecision;
  }

  double[] degreesOfFreedomView() {
    return degreesOfFreedom;
  }

  private GaussianMixtureModel mixture(double[] weights) {
    double sum = 0.0;
    for (double w : weights) {
      sum += w;
    }
    for (int c = 0; c < weights.length; c++) {
      weights[c] /= sum;
    }
    return new GaussianMixtureModel(prior.covarianceType(), weights, means, covariances);
  }

  static double logSumExp(double[] v) {
    double max = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      max = Math.max(max, x);
    }
    double s = 0.0;
    for (double x : v) {
      s += Math.exp(x - max);
    }
    return max + Math.log(s);
  }

  private static void count(double[] values, int k, String what) {
    if (values == null || values.length != k) {
      throw new IllegalArgumentException("found " + (values == null ? 0 : values.length) + " "
          + what + " but " + k + " components");
    }
  }

  private static void positive(double[] values, String what) {
    for (int c = 0; c < values.length; c++) {
      if (!(values[c] > 0.0) || !Double.isFinite(values[c])) {
        throw new IllegalArgumentException("component " + c + ": " + what + " " + values[c]
            + " is not positive");
      }
    }
  }

  private static double[][] deepCopy(double[][] a) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].clone();
    }
    return out;
  }

  @Override
  public String toString() {
    return "VariationalPosterior(" + prior.weightPrior().id() + ", " + prior.covarianceType().id()
        + ", k=" + k() + ", d=" + dim() + ", weights=" + Arrays.toString(expectedWeights()) + ")";
  }
}
