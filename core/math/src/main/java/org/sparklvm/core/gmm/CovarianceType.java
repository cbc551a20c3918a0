package org.sparklvm.core.gmm;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How the component covariances are constrained (the four families of scikit-learn and Smile). Each
 * constant is backed by its {@link CovarianceFamily}, which owns the family's M-step, starting
 * constraint, density evaluation and structural checks.
 */
public enum CovarianceType {
  /** Each component has its own full covariance matrix. */
  FULL(new FullCovariance()),
  /** Each component has its own diagonal covariance. */
  DIAG(new DiagonalCovariance()),
  /** All components share one full covariance matrix. */
  TIED(new TiedCovariance()),
  /** Each component has its own single variance, {@code sigma^2 I}. */
  SPHERICAL(new SphericalCovariance());

  private final CovarianceFamily family;

  CovarianceType(CovarianceFamily family) {
    this.family = family;
  }

  /** What the family computes and checks. */
  CovarianceFamily family() {
    return family;
  }

  /** Free covariance parameters of a {@code k}-component mixture in {@code d} dimensions. */
  public long covarianceParameters(int k, int d) {
    return family.covarianceParameters(k, d);
  }

  /** All free parameters: mixing weights (k - 1), means (k d) and covariances. */
  public long freeParameters(int k, int d) {
    return (k - 1L) + (long) k * d + covarianceParameters(k, d);
  }

  /** The lower-case name used on the command line and in model metadata. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Every family's {@link #id}, in declaration order: what a parameter validator accepts. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(CovarianceType::id).toList();
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
    List<String> ids = ids();
    throw new IllegalArgumentException("unknown covariance type '" + id + "' (expected "
        + String.join(", ", ids.subList(0, ids.size() - 1)) + " or " + ids.get(ids.size() - 1)
        + ")");
  }
}
