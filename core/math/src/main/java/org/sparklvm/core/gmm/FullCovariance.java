package org.sparklvm.core.gmm;

import org.sparklvm.core.linalg.Cholesky;

/** Each component has its own full covariance matrix. */
final class FullCovariance implements CovarianceFamily {

  /** Below this many components the pruning's bounds cost more than the pairs they skip. */
  private static final int MIN_COMPONENTS_TO_PRUNE = 3;

  @Override
  public long covarianceParameters(int k, int d) {
    return k * ((long) d * (d + 1) / 2);
  }

  @Override
  public boolean needsFullSecondMoment() {
    return true;
  }

  @Override
  public double[][] covariances(
      SufficientStatistics stats, double[][] shifts, double total, double regCovar) {
    double[][] covs = new double[shifts.length][];
    for (int c = 0; c < shifts.length; c++) {
      if (shifts[c] != null) {
        double n = stats.mass(c);
        covs[c] = scatter(stats.secondMoment(c), shifts[c], n, 1.0 / n, regCovar);
      }
    }
    return covs;
  }

  @Override
  public double[] initialCovariance(double[] cluster, double[] pooled, int d) {
    return cluster.clone();
  }

  @Override
  public MixtureDensity density(GaussianMixtureModel model, Cholesky[] factors) {
    FullDensity exact = model.k() >= MIN_COMPONENTS_TO_PRUNE
        ? new PrunedFullDensity(model, factors)
        : new FullDensity(model, factors);
    PackedForms forms = PackedForms.of(model, factors);
    return forms == null ? exact : new PackedFullDensity(model, factors, exact, forms);
  }

  @Override
  public void checkStructure(double[][] covariances, int d) {
    // Any symmetric positive-definite matrix is a full covariance.
  }

  /**
   * {@code (S - n delta delta^T) * scale + reg I}, symmetrised: the scatter about the new mean from
   * the second moment {@code S} about the old one.
   */
  static double[] scatter(double[] s, double[] delta, double n, double scale, double reg) {
    int d = delta.length;
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
}
