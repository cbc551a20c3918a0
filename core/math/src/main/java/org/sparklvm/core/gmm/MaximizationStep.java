package org.sparklvm.core.gmm;

import java.util.ArrayList;
import java.util.List;
import org.sparklvm.core.linalg.Cholesky;

/**
 * The M-step: the weighted maximum-likelihood mixture given the E-step's statistics, with
 * {@code regCovar} added to every covariance diagonal (as scikit-learn does). The weights and means are
 * the same for every family; the covariances are the {@link CovarianceFamily}'s.
 *
 * <p>A component that collapses (its mass below {@link #MIN_MASS_FRACTION} of the total, or a
 * covariance that is not positive definite even after regularisation) is reinitialised by splitting the
 * heaviest healthy component in two along its widest axis; the result lists which components were.
 */
public final class MaximizationStep {

  /** A component holding less than this fraction of the total weight has collapsed. */
  public static final double MIN_MASS_FRACTION = 1e-8;

  private MaximizationStep() {}

  /**
   * The new mixture and the components that had collapsed and were reinitialised.
   *
   * @param model the new mixture
   * @param reinitialized indices of the reinitialised components (empty in a healthy step)
   */
  public record Result(GaussianMixtureModel model, List<Integer> reinitialized) {}

  /**
   * @throws CollapseException when no healthy component is left to split
   */
  public static Result apply(SufficientStatistics stats, double regCovar) {
    GaussianMixtureModel old = stats.model();
    CovarianceType type = old.covarianceType();
    int k = old.k();
    int d = old.dim();
    double total = 0.0;
    for (int c = 0; c < k; c++) {
      total += stats.mass(c);
    }
    double[] weights = new double[k];
    double[][] means = new double[k][];
    double[][] shifts = new double[k][];
    boolean[] collapsed = new boolean[k];
    for (int c = 0; c < k; c++) {
      double n = stats.mass(c);
      if (!(n > MIN_MASS_FRACTION * total)) {
        collapsed[c] = true;
        continue;
      }
      weights[c] = n / total;
      double[] delta = stats.firstMoment(c);
      for (int j = 0; j < d; j++) {
        delta[j] /= n;
      }
      double[] mu = old.mean(c);
      for (int j = 0; j < d; j++) {
        mu[j] += delta[j];
      }
      means[c] = mu;
      shifts[c] = delta;
    }
    double[][] covs = type.family().covariances(stats, shifts, total, regCovar);
    for (int c = 0; c < k; c++) {
      if (!collapsed[c] && Cholesky.of(covs[c], d).isEmpty()) {
        collapsed[c] = true;
      }
    }
    List<Integer> reinit = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      if (collapsed[c]) {
        reinit.add(c);
        split(c, weights, means, covs, collapsed, d);
      }
    }
    return new Result(new GaussianMixtureModel(type, weights, means, covs), List.copyOf(reinit));
  }

  /** A {@code d x d} matrix with {@code variances} on its diagonal. */
  static double[] diagonal(double[] variances, int d) {
    double[] cov = new double[d * d];
    for (int j = 0; j < d; j++) {
      cov[j * d + j] = variances[j];
    }
    return cov;
  }

  /**
   * Reinitialises component {@code target} as half of the heaviest healthy component, the two means
   * moved half a standard deviation apart along the axis of largest variance.
   */
  private static void split(
      int target, double[] weights, double[][] means, double[][] covs, boolean[] collapsed, int d) {
    int donor = -1;
    for (int c = 0; c < weights.length; c++) {
      if (!collapsed[c] && (donor < 0 || weights[c] > weights[donor])) {
        donor = c;
      }
    }
    if (donor < 0) {
      throw new CollapseException(
          "every component collapsed: the data has no spread the covariance can fit; increase"
              + " --reg-covar or lower k");
    }
    int axis = 0;
    for (int j = 1; j < d; j++) {
      if (covs[donor][j * d + j] > covs[donor][axis * d + axis]) {
        axis = j;
      }
    }
    double step = 0.5 * Math.sqrt(covs[donor][axis * d + axis]);
    weights[donor] /= 2.0;
    weights[target] = weights[donor];
    means[target] = means[donor].clone();
    means[target][axis] += step;
    means[donor][axis] -= step;
    covs[target] = covs[donor].clone();
    collapsed[target] = false;
  }

  /** Thrown when EM cannot continue because no component has any mass or spread left. */
  public static final class CollapseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CollapseException(String message) {
      super(message);
    }
  }
}
