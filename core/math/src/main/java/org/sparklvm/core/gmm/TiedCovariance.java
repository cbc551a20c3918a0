package org.sparklvm.core.gmm;

import org.sparklvm.core.linalg.Cholesky;

/** All components share one full covariance matrix, their scatters pooled. */
final class TiedCovariance implements CovarianceFamily {

  @Override
  public long covarianceParameters(int k, int d) {
    return (long) d * (d + 1) / 2;
  }

  @Override
  public boolean needsFullSecondMoment() {
    return true;
  }

  @Override
  public double[][] covariances(
      SufficientStatistics stats, double[][] shifts, double total, double regCovar) {
    int d = stats.model().dim();
    double[] tied = new double[d * d];
    for (int c = 0; c < shifts.length; c++) {
      if (shifts[c] != null) {
        // Scatter about the new mean, summed over components: (S - n delta delta^T).
        double[] scatter =
            FullCovariance.scatter(stats.secondMoment(c), shifts[c], stats.mass(c), 1.0, 0.0);
        for (int i = 0; i < d * d; i++) {
          tied[i] += scatter[i];
        }
      }
    }
    for (int i = 0; i < d * d; i++) {
      tied[i] /= total;
    }
    for (int j = 0; j < d; j++) {
      tied[j * d + j] += regCovar;
    }
    double[][] covs = new double[shifts.length][];
    for (int c = 0; c < shifts.length; c++) {
      if (shifts[c] != null) {
        covs[c] = tied.clone();
      }
    }
    return covs;
  }

  @Override
  public double[] initialCovariance(double[] cluster, double[] pooled, int d) {
    return pooled.clone();
  }

  @Override
  public MixtureDensity density(GaussianMixtureModel model, Cholesky[] factors) {
    return new TiedDensity(model, factors);
  }

  @Override
  public void checkStructure(double[][] covariances, int d) {
    double[] first = covariances[0];
    for (int c = 1; c < covariances.length; c++) {
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          double a = covariances[c][i * d + j];
          double b = first[i * d + j];
          if (!CovarianceFamily.agree(a, b, CovarianceFamily.scale(first, d, i, j))) {
            throw new IllegalArgumentException("component " + c
                + ": tied covariances differ from component 0's (entry (" + i + ", " + j + ") is "
                + a + " against " + b + ")");
          }
        }
      }
    }
  }
}
