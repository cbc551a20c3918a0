package org.sparklvm.core.gmm;

import java.util.ArrayList;
import java.util.List;
import org.sparklvm.core.linalg.Cholesky;

/**
 * The M-step: the weighted maximum-likelihood mixture given the E-step's statistics, with
 * {@code regCovar} added to every covariance diagonal (as scikit-learn does).
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
    double[][] covs = new double[k][];
    boolean[] collapsed = new boolean[k];
    double[] tied = type == CovarianceType.TIED ? new double[d * d] : null;
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
      double[] s = stats.secondMoment(c);
      covs[c] = switch (type) {
        case FULL -> fullCovariance(s, delta, n, 1.0 / n, regCovar, d);
        case TIED -> {
          // Scatter about the new mean, summed over components: (S - n delta delta^T).
          double[] scatter = fullCovariance(s, delta, n, 1.0, 0.0, d);
          for (int i = 0; i < d * d; i++) {
            tied[i] += scatter[i];
          }
          yield null;
        }
        case DIAG -> diagonal(diagonalVariances(s, delta, n, regCovar), d);
        case SPHERICAL -> {
          double[] v = diagonalVariances(s, delta, n, regCovar);
          double mean = 0.0;
          for (double x : v) {
            mean += x / d;
          }
          double[] sph = new double[d];
          java.util.Arrays.fill(sph, mean);
          yield diagonal(sph, d);
        }
      };
    }
    if (tied != null) {
      for (int i = 0; i < d * d; i++) {
        tied[i] /= total;
      }
      for (int j = 0; j < d; j++) {
        tied[j * d + j] += regCovar;
      }
      for (int c = 0; c < k; c++) {
        if (!collapsed[c]) {
          covs[c] = tied.clone();
        }
      }
    }
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

  /** {@code (S - n delta delta^T) * scale + reg I}, symmetrised. */
  private static double[] fullCovariance(
      double[] s, double[] delta, double n, double scale, double reg, int d) {
    double[] cov = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double v = 0.5 * (s[i * d + j] + s[j * d + i]) - n * delta[i] * delta[j];
        cov[i * d + j] = v * scale;
        cov[j * d + i] = v * scale;
      }
      cov[i * d + i] += reg;
    }
    return cov;
  }

  private static double[] diagonalVariances(double[] s, double[] delta, double n, double reg) {
    double[] v = new double[delta.length];
    for (int j = 0; j < v.length; j++) {
      v[j] = Math.max(s[j] / n - delta[j] * delta[j], 0.0) + reg;
    }
    return v;
  }

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
