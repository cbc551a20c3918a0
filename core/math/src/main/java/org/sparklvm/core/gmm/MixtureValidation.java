package org.sparklvm.core.gmm;

/**
 * The checks on a mixture's parameters, each refusal naming the component: the cheap ones on counts,
 * sizes and weights that every {@link GaussianMixtureModel} passes, and the structural ones a mixture
 * read from storage must pass too (finite, symmetric covariances of the family's form).
 */
final class MixtureValidation {

  /** How far the weights may sum from one (they are then renormalised). */
  static final double WEIGHT_SUM_TOLERANCE = 1e-6;

  private MixtureValidation() {}

  /**
   * Counts, sizes, finite means and positive weights summing to one: {@code O(k d^2)}, cheap enough
   * for every M-step.
   *
   * @return the sum of the weights
   * @throws IllegalArgumentException naming the component and what is wrong with it
   */
  static double checkShapes(double[] weights, double[][] means, double[][] covariances) {
    int k = weights.length;
    if (k < 1) {
      throw new IllegalArgumentException("a mixture needs at least one component");
    }
    if (means.length != k || covariances.length != k) {
      throw new IllegalArgumentException(
          "found " + k + " weights, " + means.length + " means and " + covariances.length
              + " covariances");
    }
    if (means[0] == null) {
      throw new IllegalArgumentException("component 0: mean is missing");
    }
    int d = means[0].length;
    double sum = 0.0;
    for (int c = 0; c < k; c++) {
      if (!Double.isFinite(weights[c])) {
        throw new IllegalArgumentException("component " + c + ": weight is " + weights[c]);
      }
      if (!(weights[c] > 0.0)) {
        throw new IllegalArgumentException(
            "component " + c + ": weight " + weights[c] + " is not positive");
      }
      sum += weights[c];
      if (means[c] == null || covariances[c] == null) {
        throw new IllegalArgumentException("component " + c + ": "
            + (means[c] == null ? "mean" : "covariance") + " is missing");
      }
      if (means[c].length != d) {
        throw new IllegalArgumentException("component " + c + ": mean has " + means[c].length
            + " entries, expected " + d + " (component 0's)");
      }
      if (covariances[c].length != d * d) {
        throw new IllegalArgumentException("component " + c + ": covariance has "
            + covariances[c].length + " entries, expected " + d * d + " (" + d + " x " + d + ")");
      }
      for (int j = 0; j < d; j++) {
        if (!Double.isFinite(means[c][j])) {
          throw new IllegalArgumentException(
              "component " + c + ": mean entry " + j + " is " + means[c][j]);
        }
      }
    }
    if (!(Math.abs(sum - 1.0) <= WEIGHT_SUM_TOLERANCE)) {
      throw new IllegalArgumentException("weights sum to " + sum + ", not 1");
    }
    return sum;
  }

  /**
   * Finite entries, symmetry and the family's form, on covariances of the right sizes.
   *
   * @throws IllegalArgumentException naming the component and the entry
   */
  static void checkStructure(CovarianceType type, double[][] covariances, int d) {
    for (int c = 0; c < covariances.length; c++) {
      double[] cov = covariances[c];
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          if (!Double.isFinite(cov[i * d + j])) {
            throw new IllegalArgumentException("component " + c + ": covariance entry (" + i
                + ", " + j + ") is " + cov[i * d + j]);
          }
        }
      }
      checkSymmetric(c, cov, d);
    }
    type.family().checkStructure(covariances, d);
  }

  /**
   * @throws IllegalArgumentException naming the component and the first pair of entries {@code (i, j)},
   *     {@code (j, i)} that differ by more than {@link CovarianceFamily#RELATIVE_TOLERANCE} of {@code
   *     sqrt(|Sigma_ii Sigma_jj|)}
   */
  static void checkSymmetric(int component, double[] cov, int d) {
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < i; j++) {
        double below = cov[i * d + j];
        double above = cov[j * d + i];
        if (!CovarianceFamily.agree(below, above, CovarianceFamily.scale(cov, d, i, j))) {
          throw new IllegalArgumentException("component " + component
              + ": covariance is not symmetric ((" + j + "," + i + ") = " + above + " but (" + i
              + "," + j + ") = " + below + ")");
        }
      }
    }
  }
}
