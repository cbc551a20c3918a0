package org.sparklvm.core.gmm;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.sparklvm.core.linalg.Cholesky;
import org.sparklvm.core.settings.InvalidSettingException;

/**
 * The prior of a Bayesian Gaussian mixture, as scikit-learn's {@code BayesianGaussianMixture} defines
 * it: a {@link WeightPrior} over the weights with concentration {@code gamma_0} (or {@code alpha_0}),
 * and over each component's mean and precision the Normal-Wishart
 * {@code p(mu, Lambda) = N(mu | m_0, (beta_0 Lambda)^-1) W(Lambda | W_0, nu_0)} (Bishop, PRML 10.2,
 * eq. 10.40), with {@code W_0^-1} the covariance prior {@code Psi_0}.
 *
 * <p>The covariance prior's layout follows the covariance type: full and tied {@code d x d} row-major,
 * diag {@code d} variances, spherical one variance. For diag and spherical the "Wishart" is
 * scikit-learn's: independent Gamma factors whose normaliser and {@code E[log |Lambda|]} are written as
 * for a full Wishart (see {@link VariationalBayes}), which is what the reference implementation computes.
 *
 * @param weightPrior Dirichlet process (stick-breaking) or Dirichlet
 * @param covarianceType the covariance family
 * @param dim dimension of the data
 * @param weightConcentration {@code gamma_0} or {@code alpha_0}, positive
 * @param meanPrecision {@code beta_0}, positive
 * @param meanPrior {@code m_0}, {@code dim} values
 * @param degreesOfFreedom {@code nu_0}, greater than {@code dim - 1}
 * @param covariancePrior {@code Psi_0 = W_0^-1} in the covariance type's layout, positive definite
 */
public record MixturePrior(
    WeightPrior weightPrior,
    CovarianceType covarianceType,
    int dim,
    double weightConcentration,
    double meanPrecision,
    double[] meanPrior,
    double degreesOfFreedom,
    double[] covariancePrior) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The options each value comes from, named in every refusal. */
  static final String WEIGHT_CONCENTRATION = "--weight-concentration";
  static final String MEAN_PRECISION = "--mean-precision";
  static final String MEAN_PRIOR = "--mean-prior";
  static final String DEGREES_OF_FREEDOM = "--degrees-of-freedom";
  static final String COVARIANCE_PRIOR = "--covariance-prior";

  /**
   * @throws InvalidSettingException naming the option: a concentration or mean precision that is not
   *     positive and finite, degrees of freedom not above {@code dim - 1}, a mean prior or covariance
   *     prior of the wrong size or not finite, a covariance prior that is not symmetric positive
   *     definite
   * @throws IllegalArgumentException when the weight prior or covariance type is missing or {@code dim
   *     < 1}
   */
  public MixturePrior {
    if (weightPrior == null || covarianceType == null) {
      throw new IllegalArgumentException("weight prior and covariance type are required");
    }
    if (dim < 1) {
      throw new IllegalArgumentException("dimension must be at least 1, got " + dim);
    }
    positive(WEIGHT_CONCENTRATION, weightConcentration);
    positive(MEAN_PRECISION, meanPrecision);
    if (!(degreesOfFreedom > dim - 1.0) || !Double.isFinite(degreesOfFreedom)) {
      throw new InvalidSettingException(DEGREES_OF_FREEDOM, "must be greater than dim - 1 = "
          + (dim - 1) + ", got " + degreesOfFreedom);
    }
    if (meanPrior == null || meanPrior.length != dim) {
      throw new InvalidSettingException(MEAN_PRIOR, "has " + (meanPrior == null ? 0
          : meanPrior.length) + " values, the data has " + dim + " dimensions");
    }
    finite(MEAN_PRIOR, meanPrior);
    meanPrior = meanPrior.clone();
    int size = covariancePriorSize(covarianceType, dim);
    if (covariancePrior == null || covariancePrior.length != size) {
      throw new InvalidSettingException(COVARIANCE_PRIOR, "has " + (covariancePrior == null ? 0
          : covariancePrior.length) + " values, a " + covarianceType.id() + " covariance prior needs "
          + size + sizeInWords(covarianceType, dim));
    }
    finite(COVARIANCE_PRIOR, covariancePrior);
    covariancePrior = covariancePrior.clone();
    checkPositiveDefinite(covarianceType, dim, covariancePrior);
  }

  /**
   * A prior whose unset values ({@code null}) take scikit-learn's defaults: concentration {@code 1/k},
   * mean precision 1, the data mean, {@code d} degrees of freedom, and the data covariance adapted to
   * the type (full and tied: itself; diag: its diagonal; spherical: the mean of its diagonal).
   *
   * @param k the number of components (the truncation of a Dirichlet process)
   * @param dataMean the (weighted) mean of the rows, {@code X.mean(axis=0)}
   * @param dataCovariance the (weighted) sample covariance with divisor {@code n - 1}, row-major
   *     {@code d x d}: {@code np.cov(X.T)}, whose diagonal is scikit-learn's {@code np.var(X, ddof=1)}
   * @throws InvalidSettingException naming the option when a given value is refused (see the
   *     constructor), or when the default covariance is not positive definite (constant columns)
   * @throws IllegalArgumentException when {@code k < 1} or the data statistics have the wrong size
   */
  public static MixturePrior withDefaults(WeightPrior weightPrior, CovarianceType covarianceType,
      int k, double[] dataMean, double[] dataCovariance, Double weightConcentration,
      Double meanPrecision, double[] meanPrior, Double degreesOfFreedom, double[] covariancePrior) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    int d = dataMean.length;
    if (dataCovariance.length != d * d) {
      throw new IllegalArgumentException("the data covariance has " + dataCovariance.length
          + " entries, expected " + d * d + " (" + d + " x " + d + ")");
    }
    return new MixturePrior(weightPrior, covarianceType, d,
        weightConcentration != null ? weightConcentration : 1.0 / k,
        meanPrecision != null ? meanPrecision : 1.0,
        meanPrior != null ? meanPrior : dataMean,
        degreesOfFreedom != null ? degreesOfFreedom : d,
        covariancePrior != null ? covariancePrior : adapt(dataCovariance, covarianceType, d));
  }

  /** The number of values a covariance prior of the type holds: {@code d^2}, {@code d} or 1. */
  public static int covariancePriorSize(CovarianceType type, int dim) {
    return switch (type) {
      case FULL, TIED -> dim * dim;
      case DIAG -> dim;
      case SPHERICAL -> 1;
    };
  }

  @Override
  public double[] meanPrior() {
    return meanPrior.clone();
  }

  @Override
  public double[] covariancePrior() {
    return covariancePrior.clone();
  }

  /** The covariance prior as a row-major {@code d x d} matrix, whatever the layout. */
  double[] covariancePriorMatrix() {
    if (covarianceType == CovarianceType.FULL || covarianceType == CovarianceType.TIED) {
      return covariancePrior.clone();
    }
    double[] m = new double[dim * dim];
    for (int j = 0; j < dim; j++) {
      m[j * dim + j] = covarianceType == CovarianceType.DIAG ? covariancePrior[j]
          : covariancePrior[0];
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MixturePrior p && p.weightPrior == weightPrior
        && p.covarianceType == covarianceType && p.dim == dim
        && Double.compare(p.weightConcentration, weightConcentration) == 0
        && Double.compare(p.meanPrecision, meanPrecision) == 0
        && Arrays.equals(p.meanPrior, meanPrior)
        && Double.compare(p.degreesOfFreedom, degreesOfFreedom) == 0
        && Arrays.equals(p.covariancePrior, covariancePrior);
  }

  @Override
  public int hashCode() {
    return Objects.hash(weightPrior, covarianceType, dim, weightConcentration, meanPrecision,
        Arrays.hashCode(meanPrior), degreesOfFreedom, Arrays.hashCode(covariancePrior));
  }

  @Override
  public String toString() {
    return "MixturePrior(" + weightPrior.id() + ", " + covarianceType.id() + ", d=" + dim
        + ", weightConcentration=" + weightConcentration + ", meanPrecision=" + meanPrecision
        + ", meanPrior=" + Arrays.toString(meanPrior) + ", degreesOfFreedom=" + degreesOfFreedom
        + ", covariancePrior=" + Arrays.toString(covariancePrior) + ")";
  }

  private static double[] adapt(double[] covariance, CovarianceType type, int d) {
    if (type == CovarianceType.FULL || type == CovarianceType.TIED) {
      return covariance.clone();
    }
    double[] diagonal = new double[d];
    double mean = 0.0;
    for (int j = 0; j < d; j++) {
      diagonal[j] = covariance[j * d + j];
      mean += diagonal[j];
    }
    return type == CovarianceType.DIAG ? diagonal : new double[] {mean / d};
  }

  private static String sizeInWords(CovarianceType type, int d) {
    return switch (type) {
      case FULL, TIED -> " (" + d + " x " + d + ")";
      case DIAG -> " (one variance per dimension)";
      case SPHERICAL -> " (one variance)";
    };
  }

  private static void positive(String option, double value) {
    if (!(value > 0.0) || !Double.isFinite(value)) {
      throw new InvalidSettingException(option, "must be > 0, got " + value);
    }
  }

  private static void finite(String option, double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new InvalidSettingException(option, "value " + i + " is " + values[i]);
      }
    }
  }

  /** Symmetric (as a stored covariance must be) and positive definite, as scikit-learn checks. */
  private static void checkPositiveDefinite(CovarianceType type, int d, double[] prior) {
    if (type == CovarianceType.FULL || type == CovarianceType.TIED) {
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < i; j++) {
          if (!CovarianceFamily.agree(prior[i * d + j], prior[j * d + i],
              CovarianceFamily.scale(prior, d, i, j))) {
            throw new InvalidSettingException(COVARIANCE_PRIOR, "is not symmetric: (" + i + ", "
                + j + ") = " + prior[i * d + j] + " but (" + j + ", " + i + ") = "
                + prior[j * d + i]);
          }
        }
      }
      if (Cholesky.of(prior, d).isEmpty()) {
        throw new InvalidSettingException(COVARIANCE_PRIOR, "is not positive definite");
      }
      return;
    }
    for (double v : prior) {
      if (!(v > 0.0)) {
        throw new InvalidSettingException(COVARIANCE_PRIOR,
            "is not positive definite: a variance is " + v);
      }
    }
  }
}
