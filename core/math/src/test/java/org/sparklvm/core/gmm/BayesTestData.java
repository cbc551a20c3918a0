package org.sparklvm.core.gmm;

import org.sparklvm.core.data.RowBlock;

/** Starting statistics and data moments for the Bayesian-mixture tests. */
final class BayesTestData {

  private BayesTestData() {}

  /**
   * The statistics of one-hot responsibilities from {@code labels}: moments about each label's mean
   * (zero first moments), as a one-hot E-step would sum them.
   */
  static SufficientStatistics labelStatistics(RowBlock x, int[] labels, int k, CovarianceType type) {
    int n = x.rows();
    int d = x.dim();
    double[] mass = new double[k];
    double[][] centres = new double[k][d];
    for (int r = 0; r < n; r++) {
      double w = x.weight(r);
      mass[labels[r]] += w;
      for (int j = 0; j < d; j++) {
        centres[labels[r]][j] += w * x.values()[r * d + j];
      }
    }
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < d; j++) {
        centres[c][j] = mass[c] > 0 ? centres[c][j] / mass[c] : 0.0;
      }
    }
    boolean full = type.family().needsFullSecondMoment();
    double[] second = new double[full ? k * d * d : k * d];
    double total = 0.0;
    for (int r = 0; r < n; r++) {
      double w = x.weight(r);
      total += w;
      int c = labels[r];
      for (int i = 0; i < d; i++) {
        double ti = x.values()[r * d + i] - centres[c][i];
        if (full) {
          for (int j = 0; j < d; j++) {
            second[c * d * d + i * d + j] += w * ti * (x.values()[r * d + j] - centres[c][j]);
          }
        } else {
          second[c * d + i] += w * ti * ti;
        }
      }
    }
    double[] weights = new double[k];
    double[][] covs = new double[k][];
    for (int c = 0; c < k; c++) {
      weights[c] = 1.0 / k;
      covs[c] = MaximizationStep.diagonal(filled(d, 1.0), d);
    }
    GaussianMixtureModel around = new GaussianMixtureModel(type, weights, centres, covs);
    return SufficientStatistics.ofMoments(around, mass, new double[k * d], second, 0.0, total, n);
  }

  /** The weighted mean of the rows. */
  static double[] mean(RowBlock x) {
    int d = x.dim();
    double[] mean = new double[d];
    double total = 0.0;
    for (int r = 0; r < x.rows(); r++) {
      total += x.weight(r);
      for (int j = 0; j < d; j++) {
        mean[j] += x.weight(r) * x.values()[r * d + j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= total;
    }
    return mean;
  }

  /** The sample covariance with divisor {@code n - 1}, numpy's {@code np.cov(X.T)}. */
  static double[] covariance(RowBlock x) {
    int d = x.dim();
    double[] mean = mean(x);
    double[] cov = new double[d * d];
    for (int r = 0; r < x.rows(); r++) {
      for (int i = 0; i < d; i++) {
        double ti = x.values()[r * d + i] - mean[i];
        for (int j = 0; j < d; j++) {
          cov[i * d + j] += ti * (x.values()[r * d + j] - mean[j]);
        }
      }
    }
    for (int i = 0; i < d * d; i++) {
      cov[i] /= x.rows() - 1.0;
    }
    return cov;
  }

  static double[] filled(int n, double v) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, v);
    return a;
  }
}
