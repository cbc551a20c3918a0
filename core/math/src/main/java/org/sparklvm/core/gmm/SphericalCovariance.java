package org.sparklvm.core.gmm;

import java.util.Arrays;
import org.sparklvm.core.linalg.Cholesky;

/** Each component has its own single variance, {@code sigma^2 I}: the mean of its diagonal ones. */
final class SphericalCovariance implements CovarianceFamily {

  @Override
  public long covarianceParameters(int k, int d) {
    return k;
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
        double[] v =
            DiagonalCovariance.variances(stats.secondMoment(c), shifts[c], stats.mass(c), regCovar);
        int d = v.length;
        double mean = 0.0;
        for (double x : v) {
          mean += x / d;
        }
        double[] sph = new double[d];
        Arrays.fill(sph, mean);
        covs[c] = MaximizationStep.diagonal(sph, d);
      }
    }
    return covs;
  }

  @Override
  public double[] initialCovariance(double[] cluster, double[] pooled, int d) {
    double[] v = DiagonalCovariance.diagonalOf(cluster, d);
    double m = Arrays.stream(v).average().orElse(1.0);
    Arrays.fill(v, m);
    return MaximizationStep.diagonal(v, d);
  }

  @Override
  public MixtureDensity density(GaussianMixtureModel model, Cholesky[] factors) {
    return new DiagonalDensity(model, factors);
  }

  @Override
  public void checkStructure(double[][] covariances, int d) {
    CovarianceFamily.checkDiagonal(covariances, d, "spherical");
    for (int c = 0; c < covariances.length; c++) {
      double[] cov = covariances[c];
      for (int j = 1; j < d; j++) {
        if (!CovarianceFamily.agree(cov[j * d + j], cov[0], CovarianceFamily.scale(cov, d, 0, j))) {
          throw new IllegalArgumentException("component " + c + ": a spherical covariance has"
              + " unequal variances ((0, 0) = " + cov[0] + " but (" + j + ", " + j + ") = "
              + cov[j * d + j] + ")");
        }
      }
    }
  }
}
