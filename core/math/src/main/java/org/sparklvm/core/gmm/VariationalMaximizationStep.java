package org.sparklvm.core.gmm;

/**
 * The variational M-step of a Bayesian Gaussian mixture: the posterior {@code q(pi) q(mu, Lambda)}
 * given the responsibilities' statistics, as scikit-learn 1.2.1's {@code BayesianGaussianMixture._m_step}
 * computes it (Bishop, PRML 10.2, eqs. 10.58-10.63; Blei and Jordan 2006 for the sticks).
 *
 * <p>From the statistics: {@code N_k = sum w r_nk + 10 eps} (scikit-learn's guard against empty
 * components), {@code xbar_k = sum w r_nk x_n / N_k}, {@code S_k} the weighted covariance about
 * {@code xbar_k} plus {@code regCovar} on the diagonal (tied: pooled over components). Then
 *
 * <ul>
 *   <li>weights: Dirichlet {@code alpha_k = alpha_0 + N_k}; Dirichlet process {@code a_k = 1 + N_k},
 *       {@code b_k = gamma_0 + sum_{j>k} N_j};
 *   <li>means: {@code beta_k = beta_0 + N_k}, {@code m_k = (beta_0 m_0 + N_k xbar_k) / beta_k};
 *   <li>precisions: {@code nu_k = nu_0 + N_k} and {@code nu_k (nu_k W_k)^-1 = Psi_0 + N_k S_k +
 *       beta_0 N_k / beta_k (xbar_k - m_0)(xbar_k - m_0)^T}; tied: {@code nu = nu_0 + sum N / k} and
 *       {@code Psi_0 + S sum N / k + beta_0 / k sum_k N_k / beta_k (xbar_k - m_0)(xbar_k - m_0)^T};
 *       diag keeps the diagonal, spherical the mean of the diagonal.
 * </ul>
 *
 * <p>The statistics may be taken under any mixture (their moments are about its means), though the
 * variational iteration takes them under {@link VariationalPosterior#expectationMixture()}: one of
 * another covariance type too, as long as it kept the second moments the prior's type needs (full
 * ones for full and tied).
 */
public final class VariationalMaximizationStep {

  /** scikit-learn adds {@code 10 * eps} to every component's mass, so an empty one divides by it. */
  static final double MASS_GUARD = 10 * Math.ulp(1.0);

  private VariationalMaximizationStep() {}

  /**
   * @throws IllegalArgumentException when the statistics' dimension is not the prior's, or they hold
   *     only diagonal second moments for a full or tied prior
   */
  public static VariationalPosterior apply(
      SufficientStatistics stats, MixturePrior prior, double regCovar) {
    GaussianMixtureModel around = stats.model();
    CovarianceType type = prior.covarianceType();
    int k = around.k();
    int d = around.dim();
    boolean full = type.family().needsFullSecondMoment();
    boolean fullStats = around.covarianceType().family().needsFullSecondMoment();
    if (d != prior.dim() || (full && !fullStats)) {
      throw new IllegalArgumentException("statistics of a " + around.covarianceType().id()
          + " mixture in " + d + " dimensions do not fit a " + type.id() + " prior in "
          + prior.dim() + " dimensions");
    }
    double[] n = new double[k];
    double[][] xbar = new double[k][];
    double[][] scatter = new double[k][];
    for (int c = 0; c < k; c++) {
      double raw = stats.mass(c);
      n[c] = raw + MASS_GUARD;
      double[] centre = around.mean(c);
      double[] first = stats.firstMoment(c);
      // xbar = (raw * centre + first) / n, and e = xbar - centre: the scatter about xbar is
      // S - F e^T - e F^T + raw e e^T, exact whatever n's guard.
      double[] mean = new double[d];
      double[] e = new double[d];
      for (int j = 0; j < d; j++) {
        mean[j] = (raw * centre[j] + first[j]) / n[c];
        e[j] = mean[j] - centre[j];
      }
      xbar[c] = mean;
      double[] s = full || !fullStats ? stats.secondMoment(c) : diagonal(stats.secondMoment(c), d);
      if (full) {
        for (int i = 0; i < d; i++) {
          for (int j = 0; j < d; j++) {
            s[i * d + j] += -first[i] * e[j] - e[i] * first[j] + raw * e[i] * e[j];
          }
        }
      } else {
        for (int j = 0; j < d; j++) {
          s[j] += -2 * first[j] * e[j] + raw * e[j] * e[j];
        }
      }
      scatter[c] = s;
    }
    double[][] concentration = weightConcentration(prior, n);
    double beta0 = prior.meanPrecision();
    double[] m0 = prior.meanPrior();
    double[] beta = new double[k];
    double[][] means = new double[k][d];
    for (int c = 0; c < k; c++) {
      beta[c] = beta0 + n[c];
      for (int j = 0; j < d; j++) {
        means[c][j] = (beta0 * m0[j] + n[c] * xbar[c][j]) / beta[c];
      }
    }
    double[] nu = new double[k];
    double[][] covariances = type == CovarianceType.TIED
        ? tied(prior, n, xbar, scatter, beta, regCovar, nu)
        : perComponent(prior, n, xbar, scatter, beta, regCovar, nu, full);
    return VariationalPosterior.trusted(prior, concentration, beta, means, nu, covariances);
  }

  private static double[] diagonal(double[] matrix, int d) {
    double[] out = new double[d];
    for (int j = 0; j < d; j++) {
      out[j] = matrix[j * d + j];
    }
    return out;
  }

  private static double[][] weightConcentration(MixturePrior prior, double[] n) {
    int k = n.length;
    double[] first = new double[k];
    if (prior.weightPrior() == WeightPrior.DIRICHLET) {
      for (int c = 0; c < k; c++) {
        first[c] = prior.weightConcentration() + n[c];
      }
      return new double[][] {first};
    }
    double[] second = new double[k];
    double after = 0.0;
    for (int c = k - 1; c >= 0; c--) {
      first[c] = 1.0 + n[c];
      second[c] = prior.weightConcentration() + after;
      after += n[c];
    }
    return new double[][] {first, second};
  }

  /** Full, diag and spherical: one Wishart per component. */
  private static double[][] perComponent(MixturePrior prior, double[] n, double[][] xbar,
      double[][] scatter, double[] beta, double regCovar, double[] nu, boolean full) {
    int k = n.length;
    int d = prior.dim();
    double[] psi0 = prior.covariancePriorMatrix();
    double[] m0 = prior.meanPrior();
    double beta0 = prior.meanPrecision();
    boolean spherical = prior.covarianceType() == CovarianceType.SPHERICAL;
    double[][] out = new double[k][];
    for (int c = 0; c < k; c++) {
      nu[c] = prior.degreesOfFreedom() + n[c];
      double shrink = n[c] * beta0 / beta[c];
      double[] diff = new double[d];
      for (int j = 0; j < d; j++) {
        diff[j] = xbar[c][j] - m0[j];
      }
      double[] cov = new double[d * d];
      if (full) {
        for (int i = 0; i < d; i++) {
          for (int j = 0; j < d; j++) {
            // N_k S_k = scatter + N_k regCovar I.
            cov[i * d + j] = psi0[i * d + j] + scatter[c][i * d + j] + shrink * diff[i] * diff[j];
          }
          cov[i * d + i] += n[c] * regCovar;
        }
      } else if (!spherical) {
        for (int j = 0; j < d; j++) {
          cov[j * d + j] = psi0[j * d + j] + scatter[c][j] + n[c] * regCovar
              + shrink * diff[j] * diff[j];
        }
      } else {
        double s = 0.0;
        double sq = 0.0;
        for (int j = 0; j < d; j++) {
          s += scatter[c][j];
          sq += diff[j] * diff[j];
        }
        double v = psi0[0] + s / d + n[c] * regCovar + shrink * sq / d;
        for (int j = 0; j < d; j++) {
          cov[j * d + j] = v;
        }
      }
      for (int i = 0; i < d * d; i++) {
        cov[i] /= nu[c];
      }
      out[c] = cov;
    }
    return out;
  }

  /** Tied: one Wishart shared by all components, {@code k} copies of it. */
  private static double[][] tied(MixturePrior prior, double[] n, double[][] xbar,
      double[][] scatter, double[] beta, double regCovar, double[] nu) {
    int k = n.length;
    int d = prior.dim();
    double[] m0 = prior.meanPrior();
    double beta0 = prior.meanPrecision();
    double total = 0.0;
    for (int c = 0; c < k; c++) {
      total += n[c];
    }
    double[] cov = prior.covariancePriorMatrix();
    double[] pooled = new double[d * d];
    for (int c = 0; c < k; c++) {
      for (int i = 0; i < d * d; i++) {
        pooled[i] += scatter[c][i];
      }
    }
    for (int i = 0; i < d; i++) {
      pooled[i * d + i] += total * regCovar;
    }
    for (int i = 0; i < d * d; i++) {
      // S = pooled / total, weighted by total / k.
      cov[i] += pooled[i] / k;
    }
    for (int c = 0; c < k; c++) {
      double shrink = beta0 / k * n[c] / beta[c];
      for (int i = 0; i < d; i++) {
        double di = xbar[c][i] - m0[i];
        for (int j = 0; j < d; j++) {
          cov[i * d + j] += shrink * di * (xbar[c][j] - m0[j]);
        }
      }
    }
    double dof = prior.degreesOfFreedom() + total / k;
    double[][] out = new double[k][];
    for (int i = 0; i < d * d; i++) {
      cov[i] /= dof;
    }
    for (int c = 0; c < k; c++) {
      nu[c] = dof;
      out[c] = cov.clone();
    }
    return out;
  }
}
