package org.sparklvm.core.gmm;

import java.util.Locale;

/** How the component covariances are constrained (the four families of scikit-learn and Smile). */
public enum CovarianceType {
  /** Each component has its own full covariance matrix. */
  FULL,
  /** Each component has its own diagonal covariance. */
  DIAG,
  /** All components share one full covariance matrix. */
  TIED,
  /** Each component has its own single variance, {@code sigma^2 I}. */
  SPHERICAL;

  /** Free covariance parameters of a {@code k}-component mixture in {@code d} dimensions. */
  public long covarianceParameters(int k, int d) {
    long full = (long) d * (d + 1) / 2;
    return switch (this) {
      case FULL -> k * full;
      case DIAG -> (long) k * d;
      case TIED -> full;
      case SPHERICAL -> k;
    };
  }

  /** All free parameters: mixing weights (k - 1), means (k d) and covariances. */
  public long freeParameters(int k, int d) {
    return (k - 1L) + (long) k * d + covarianceParameters(k, d);
  }

  /** The lower-case name used on the command line and in model metadata. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the accepted values when {@code id} is none of them
   */
  public static CovarianceType fromId(String id) {
    for (CovarianceType t : values()) {
      if (t.id().equalsIgnoreCase(id.trim())) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown covariance type '" + id + "' (expected full, diag, tied or spherical)");
  }
}
