package org.sparklvm.core.gmm;

import java.util.ArrayList;
import java.util.List;
import org.sparklvm.core.linalg.Blas;
import org.sparklvm.core.linalg.Cholesky;

/**
 * Variational inference for a Bayesian Gaussian mixture (Bishop, PRML 10.2; the truncated
 * stick-breaking of Blei and Jordan 2006 for a Dirichlet-process prior), with scikit-learn 1.2.1's
 * {@code BayesianGaussianMixture} as the reference: the E-step is the ordinary one of the mixture
 * {@link VariationalPosterior#expectationMixture()}, so it runs wherever an {@link
 * ExpectationMaximization.ExpectationPass} does (one JVM or a cluster); the M-step ({@link
 * VariationalMaximizationStep}) and the lower bound run here.
 *
 * <p>The lower bound is scikit-learn's {@code _compute_lower_bound}, the ELBO less the constants that
 * do not depend on the data: with {@code q(theta)} the M-step of the responsibilities {@code r},
 *
 * <pre>
 * L = -sum_n w_n sum_k r_nk log r_nk - sum_k log B(W_k, nu_k) - log C(weights)
 *     - d/2 sum_k log beta_k
 * </pre>
 *
 * where {@code log B(W, nu) = -(nu/2 log |W| + nu d/2 log 2 + sum_{i<d} log Gamma((nu - i)/2))}
 * (the Wishart normaliser less its {@code pi} term; for tied, {@code k} times the shared one), and
 * {@code log C} is {@code -sum_k log Beta(a_k, b_k)} for the sticks or {@code log Gamma(sum alpha) -
 * sum log Gamma(alpha_k)} for a Dirichlet.
 *
 * <p>The responsibilities' entropy needs no pass of its own: with the statistics taken under the
 * mixture {@code p'(x) = sum_k w'_k N(x | m_k, P_k^-1)} whose responsibilities they are,
 *
 * <pre>
 * sum_n w_n sum_k r_nk log r_nk = sum_k [N_k (log w'_k - d/2 log 2 pi + 1/2 log |P_k|)
 *     - 1/2 tr(P_k S_k)] - sum_n w_n log p'(x_n)
 * </pre>
 *
 * with {@code S_k} the second moment about {@code m_k}: the log of {@code r_nk = w'_k N(x_n) / p'(x_n)}
 * summed with the weights {@code w_n r_nk}.
 */
public final class VariationalBayes {

  private static final double LOG_2_PI = Math.log(2.0 * Math.PI);

  private VariationalBayes() {}

  /**
   * scikit-learn's lower bound (the total over the weighted rows, not per row) after the M-step {@code
   * next} of statistics taken under {@code previous.expectationMixture()}.
   *
   * @throws IllegalArgumentException when the statistics were not taken under {@code
   *     previous.expectationMixture()}
   */
  public static double lowerBound(
      SufficientStatistics stats, VariationalPosterior previous, VariationalPosterior next) {
    if (!stats.model().hasSameParameters(previous.expectationMixture())) {
      throw new IllegalArgumentException(
          "the statistics were not taken under the previous posterior's expectation mixture");
    }
    return -negativeEntropy(stats, previous) - logWishartNorms(next) - logWeightNorm(next)
        - 0.5 * next.dim() * sumLog(next.meanPrecisionView());
  }

  /**
   * Runs the variational iteration: posterior = M-step(initial); then E-step under the posterior's
   * {@link VariationalPosterior#expectationMixture()}, M-step, lower bound, until the bound per unit
   * weight changes by less than {@code settings.tolerance()} (scikit-learn compares the change of the
   * total with its {@code tol}; per unit weight it is independent of the data size, as for EM) or
   * {@code settings.maxIterations()} iterations. A last pass under the scoring density gives the
   * training rows' mean log-likelihood.
   *
   * <p>The number of components is the initial statistics' (the truncation of a Dirichlet process);
   * of the settings only {@code maxIterations}, {@code tolerance} and {@code regCovar} are read.
   *
   * @param initial statistics of the starting responsibilities (the E-step of a k-means start, or
   *     one-hot labels), under any mixture that kept the second moments the prior's covariance type
   *     needs (see {@link VariationalMaximizationStep})
   * @param pass the E-step over all rows, in this JVM or across a cluster
   * @param listener told of each iteration's lower bound per unit weight (in the slot where EM
   *     reports its mean log-likelihood)
   * @throws IllegalArgumentException when the initial statistics do not fit the prior
   */
  public static VariationalFit run(SufficientStatistics initial,
      ExpectationMaximization.ExpectationPass pass, MixturePrior prior, EmSettings settings,
      ExpectationMaximization.Listener listener) {
    VariationalPosterior posterior =
        VariationalMaximizationStep.apply(initial, prior, settings.regCovar());
    List<Double> history = new ArrayList<>();
    double bound = Double.NEGATIVE_INFINITY;
    boolean converged = false;
    int iteration = 0;
    while (iteration < settings.maxIterations() && !converged) {
      long t = System.nanoTime();
      iteration++;
      SufficientStatistics stats = pass.expect(posterior.expectationMixture());
      VariationalPosterior next =
          VariationalMaximizationStep.apply(stats, prior, settings.regCovar());
      double perRow = lowerBound(stats, posterior, next) / stats.totalWeight();
      converged = Math.abs(perRow - bound) < settings.tolerance();
      bound = perRow;
      history.add(perRow);
      posterior = next;
      listener.iteration(iteration, perRow, (System.nanoTime() - t) / 1e9);
    }
    SufficientStatistics scored = pass.expect(posterior.expectedMixture());
    return new VariationalFit(posterior, iteration, converged, history,
        scored.meanLogLikelihood(), scored.totalWeight(), scored.rows());
  }

  /**
   * {@code sum_n w_n sum_k r_nk log r_nk} from statistics taken under {@code
   * previous.expectationMixture()} (see the class comment).
   */
  static double negativeEntropy(SufficientStatistics stats, VariationalPosterior previous) {
    GaussianMixtureModel p = stats.model();
    int d = p.dim();
    boolean full = p.covarianceType().family().needsFullSecondMoment();
    boolean tied = p.covarianceType() == CovarianceType.TIED;
    Cholesky[] factors = previous.factors();
    double[][] covs = previous.covariancesView();
    double[] weights = p.weights();
    double sum = -stats.logLikelihood();
    double[] precision = null;
    for (int c = 0; c < p.k(); c++) {
      double mass = stats.mass(c);
      if (mass == 0.0) {
        continue;
      }
      double[] s = stats.secondMoment(c);
      double logDet;
      double trace = 0.0;
      if (full) {
        logDet = factors[c].logDeterminant();
        if (precision == null || !tied) {
          // tr(Sigma^-1 S) = sum_ij P_ij S_ij (both symmetric), P = L^-T L^-1 as one Gram.
          precision = new double[d * d];
          Blas.addGram(d, d, factors[c].inverseLower(), precision, 0);
        }
        for (int i = 0; i < d * d; i++) {
          trace += precision[i] * s[i];
        }
      } else {
        logDet = 0.0;
        for (int j = 0; j < d; j++) {
          logDet += Math.log(covs[c][j * d + j]);
          trace += s[j] / covs[c][j * d + j];
        }
      }
      sum += mass * (Math.log(weights[c]) - 0.5 * d * LOG_2_PI - 0.5 * logDet) - 0.5 * trace;
    }
    return sum;
  }

  /** {@code sum_k log B(W_k, nu_k)} as scikit-learn's {@code _log_wishart_norm}. */
  static double logWishartNorms(VariationalPosterior q) {
    int d = q.dim();
    double[] nu = q.degreesOfFreedomView();
    boolean tied = q.prior().covarianceType() == CovarianceType.TIED;
    double total = 0.0;
    double shared = Double.NaN;
    for (int c = 0; c < q.k(); c++) {
      if (tied && c > 0) {
        total += shared;
        continue;
      }
      // 1/2 log |W_k| = -1/2 log |covariance| - d/2 log nu_k (the covariance is (nu_k W_k)^-1).
      double logDetCov = q.factors()[c].logDeterminant();
      double halfLogDetW = -0.5 * logDetCov - 0.5 * d * Math.log(nu[c]);
      double gammas = 0.0;
      for (int i = 0; i < d; i++) {
        gammas += GammaFunctions.logGamma(0.5 * (nu[c] - i));
      }
      shared = -(nu[c] * halfLogDetW + nu[c] * d * 0.5 * Math.log(2.0) + gammas);
      total += shared;
    }
    return total;
  }

  /** {@code log C} of the weights' posterior (see the class comment). */
  static double logWeightNorm(VariationalPosterior q) {
    double[][] alpha = q.weightConcentrationView();
    if (q.prior().weightPrior() == WeightPrior.DIRICHLET_PROCESS) {
      double s = 0.0;
      for (int c = 0; c < q.k(); c++) {
        s -= GammaFunctions.logBeta(alpha[0][c], alpha[1][c]);
      }
      return s;
    }
    double total = 0.0;
    double logs = 0.0;
    for (double a : alpha[0]) {
      total += a;
      logs += GammaFunctions.logGamma(a);
    }
    return GammaFunctions.logGamma(total) - logs;
  }

  private static double sumLog(double[] v) {
    double s = 0.0;
    for (double x : v) {
      s += Math.log(x);
    }
    return s;
  }
}
