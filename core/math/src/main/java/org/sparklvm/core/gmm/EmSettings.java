package org.sparklvm.core.gmm;

import java.io.Serializable;

/**
 * Hyper-parameters of one mixture fit, validated here once.
 *
 * @param k number of components, at least 1
 * @param covarianceType covariance family
 * @param maxIterations most EM iterations (M-steps), at least 1
 * @param tolerance stop when the mean log-likelihood per unit weight changes by less; negative never
 *     stops early
 * @param regCovar non-negative constant added to every covariance diagonal
 * @param init how to choose the starting mixture
 * @param restarts independent initialisations, the best final log-likelihood kept; at least 1
 * @param seed seed of every random choice; restart {@code i} uses {@code seed + i}
 */
public record EmSettings(
    int k,
    CovarianceType covarianceType,
    int maxIterations,
    double tolerance,
    double regCovar,
    Initialization init,
    int restarts,
    long seed) implements Serializable {

  /** Defaults as scikit-learn's {@code GaussianMixture}. */
  public static EmSettings defaults(int k) {
    return new EmSettings(k, CovarianceType.FULL, 100, 1e-3, 1e-6, Initialization.KMEANS_PLUS_PLUS, 1, 0L);
  }

  /**
   * @throws IllegalArgumentException naming the first parameter out of range
   */
  public EmSettings {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    if (covarianceType == null || init == null) {
      throw new IllegalArgumentException("covariance type and initialisation are required");
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("max iterations must be at least 1, got " + maxIterations);
    }
    if (Double.isNaN(tolerance)) {
      throw new IllegalArgumentException("tolerance must be a number");
    }
    if (!(regCovar >= 0.0) || !Double.isFinite(regCovar)) {
      throw new IllegalArgumentException("reg-covar must be finite and >= 0, got " + regCovar);
    }
    if (restarts < 1) {
      throw new IllegalArgumentException("number of initialisations must be at least 1, got " + restarts);
    }
  }

  public EmSettings withK(int newK) {
    return new EmSettings(newK, covarianceType, maxIterations, tolerance, regCovar, init, restarts, seed);
  }

  public EmSettings withCovarianceType(CovarianceType type) {
    return new EmSettings(k, type, maxIterations, tolerance, regCovar, init, restarts, seed);
  }

  /** How the starting mixture is chosen. */
  public enum Initialization {
    /** k-means++ seeding and Lloyd iterations on a sample, then one M-step on the hard assignment. */
    KMEANS_PLUS_PLUS("kmeans++"),
    /** k distinct sampled rows as means, the sample covariance for every component, equal weights. */
    RANDOM("random");

    private final String id;

    Initialization(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    /**
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Initialization fromId(String id) {
      for (Initialization i : values()) {
        if (i.id.equalsIgnoreCase(id.trim())) {
          return i;
        }
      }
      throw new IllegalArgumentException("unknown initialisation '" + id + "' (expected kmeans++ or random)");
    }
  }
}
