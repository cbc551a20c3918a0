package org.sparklvm.core.gmm;

import org.sparklvm.core.linalg.Cholesky;

/** Each component has its own diagonal covariance. */
final class DiagonalCovariance implements CovarianceFamily {

  @Override
  public long covarianceParameters(int k, int d) {
    return (long) k * d;
  }

  @Override
  public boolean needsFullSecondMoment() {
    return false;
  }

  @Override
  public double[][] covariances(
      SufficientStatistics stats, double[][] shifts, double total, double regCovar) {
    double[][] covs = new double[shifts.length][];
    for (int c = 0; c < shifts.length; c++) {
      if (shifts[c] != null) {
        double[] v = variances(stats.secondMoment(c), shifts[c], stats.mass(c), regCovar);
        covs[c] = MaximizationStep.diagonal(v, v.length);
      }
    }
    return covs;
  }

  @Override
  public double[] initialCovariance(double[] cluster, double[] pooled, int d) {
    return MaximizationStep.diagonal(diagonalOf(cluster, d), d);
  }

  @Override
  public MixtureDensity density(GaussianMixtureModel model, Cholesky[] factors) {
    return new DiagonalDensity(model, factors);
  }

  @Override
  public void checkStructure(double[][] covariances, int d) {
    CovarianceFamily.checkDiagonal(covariances, d, "diagonal");
  }

  /**
   * {@code max(S_jj / n - delta_j^2, 0) + reg}: the variances about the new mean from the diagonal
   * second moment about the old one, never negative where rounding would make them so.
   */
  static double[] variances(double[] s, double[] delta, double n, double reg) {
    double[] v = new double[delta.length];
    for (int j = 0; j < v.length; j++) {
      v[j] = Math.max(s[j] / n - delta[j] * delta[j], 0.0) + reg;
    }
    return v;
  }

  static double[] diagonalOf(double[] cov, int d) {
    double[] v = new double[d];
    for (int j = 0; j < d; j++) {
      v[j] = cov[j * d + j];
    }
    return v;
  }
}
