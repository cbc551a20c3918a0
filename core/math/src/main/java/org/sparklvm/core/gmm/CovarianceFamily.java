package org.sparklvm.core.gmm;

import org.sparklvm.core.linalg.Cholesky;

/**
 * One family of component covariances (full, diagonal, tied, spherical) and everything that depends on
 * it: its weighted maximum-likelihood covariances (the M-step, as each distribution of Smile owns its
 * own), the constraint put on a starting covariance, how the E-step evaluates densities, and what a
 * stored mixture of the family must look like. A new family is one implementation of this interface
 * and one constant of {@link CovarianceType}; the EM loop, the initialiser and the loaders do not
 * change.
 *
 * <p>Covariances are always full row-major {@code d x d} matrices; a family only says which entries are
 * free.
 */
interface CovarianceFamily {

  /**
   * Entries that must agree (symmetric pairs, zero off-diagonals, tied copies, spherical variances)
   * may differ by this fraction of their scale {@code sqrt(|Sigma_ii Sigma_jj|)}; JSON and Parquet keep
   * doubles exactly, so only arithmetic done before writing can leave a difference at all.
   */
  double RELATIVE_TOLERANCE = 1e-9;

  /** Free covariance parameters of a {@code k}-component mixture in {@code d} dimensions. */
  long covarianceParameters(int k, int d);

  /**
   * Whether the E-step must keep each component's full {@code d x d} second moment, or only its
   * diagonal (all a diagonal family's M-step reads).
   */
  boolean needsFullSecondMoment();

  /**
   * The M-step's covariances from the weighted second moments, {@code regCovar} added to the diagonal.
   *
   * @param stats the E-step's statistics, moments about the current means
   * @param shifts per component, the move of its mean {@code delta = first moment / N_k}; {@code null}
   *     for a component that collapsed, which gets no covariance and adds nothing to a pooled one
   * @param total the summed mass of all components
   * @return one covariance per component, {@code null} where {@code shifts} is
   */
  double[][] covariances(SufficientStatistics stats, double[][] shifts, double total, double regCovar);

  /**
   * The entries of a starting covariance the family allows (no regularisation yet): the hard cluster's
   * own scatter, or the scatter pooled over all clusters for a family that shares one covariance.
   *
   * @param cluster the cluster's scatter (the whole sample's where the cluster has too few rows)
   * @param pooled every cluster's scatter weighted by its share of the rows (the sample's when none)
   * @return a new matrix
   */
  double[] initialCovariance(double[] cluster, double[] pooled, int d);

  /**
   * The E-step's evaluator of {@code log pi_k + log N(x | mu_k, Sigma_k)}, its per-component constants
   * prepared once from the Cholesky factors.
   */
  MixtureDensity density(GaussianMixtureModel model, Cholesky[] factors);

  /**
   * Refuses covariances, already symmetric and of the right size, that the family cannot hold: a
   * diagonal one with off-diagonal entries, tied ones that differ.
   *
   * @throws IllegalArgumentException naming the component and the entry
   */
  void checkStructure(double[][] covariances, int d);

  /** {@code sqrt(|Sigma_ii Sigma_jj|)}: the size an entry {@code (i, j)} is compared against. */
  static double scale(double[] covariance, int d, int i, int j) {
    return Math.sqrt(Math.abs(covariance[i * d + i] * covariance[j * d + j]));
  }

  /** Whether {@code a} and {@code b} agree to {@link #RELATIVE_TOLERANCE} of {@code scale}. */
  static boolean agree(double a, double b, double scale) {
    return Math.abs(a - b) <= RELATIVE_TOLERANCE * scale;
  }

  /**
   * @throws IllegalArgumentException naming the first off-diagonal entry of a component that is not
   *     zero, for the family called {@code name}
   */
  static void checkDiagonal(double[][] covariances, int d, String name) {
    for (int c = 0; c < covariances.length; c++) {
      double[] cov = covariances[c];
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          if (i != j && !agree(cov[i * d + j], 0.0, scale(cov, d, i, j))) {
            throw new IllegalArgumentException("component " + c + ": a " + name
                + " covariance has off-diagonal entry (" + i + ", " + j + ") = " + cov[i * d + j]);
          }
        }
      }
    }
  }
}
