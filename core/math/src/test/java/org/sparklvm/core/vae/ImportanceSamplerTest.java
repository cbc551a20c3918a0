package org.sparklvm.core.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The estimators against probabilistic PCA, whose marginal likelihood is exact: ELBO <= IWAE_K <=
 * log p(x) with IWAE rising in K and within its Monte Carlo error of the exact value at large K, and
 * naive Monte Carlo from the prior worse at the same K.
 */
class ImportanceSamplerTest {

  /** Loadings with correlated columns, so the diagonal encoder is only an approximation. */
  private static ProbabilisticPca model() {
    double[] w = {1.5, 0.8, -0.7, 1.1, 0.4, 0.9, 1.2, -0.3, 0.2, 1.4};
    return new ProbabilisticPca(w, new double[] {0.5, -1, 0, 2, 1}, 2, 0.3);
  }

  /** The model with its encoder pushed off the posterior, to open a visible gap. */
  private static LatentGaussianModel misfit(ProbabilisticPca m) {
    return new LatentGaussianModel() {
      @Override
      public int latentDim() {
        return m.latentDim();
      }

      @Override
      public DiagonalGaussian encode(double[] x) {
        DiagonalGaussian q = m.encode(x);
        double[] mu = q.mean().clone();
        double[] lv = q.logVariance().clone();
        for (int i = 0; i < mu.length; i++) {
          mu[i] += 0.4;
          lv[i] += 0.8;
        }
        return new DiagonalGaussian(mu, lv);
      }

      @Override
      public void logLikelihood(double[] x, double[] z, int count, double[] out) {
        m.logLikelihood(x, z, count, out);
      }
    };
  }

  @Test
  void withTheExactPosteriorEveryWeightIsTheMarginal() {
    // Orthogonal columns: the posterior covariance is diagonal and the encoder exact.
    ProbabilisticPca m = new ProbabilisticPca(new double[] {2, 0, 0, 1, 0, 0, 1, 0}, new double[4],
        2, 0.5);
    Random random = new Random(3);
    for (int i = 0; i < 10; i++) {
      double[] x = m.sample(random);
      double exact = m.logMarginal(x);
      ImportanceSampler.Estimate one = ImportanceSampler.estimate(m, x, 1,
          ImportanceSampler.Proposal.POSTERIOR, random, 1);
      assertEquals(exact, one.logLikelihood(), 1e-9);
      // E_q[ELBO] = log p(x) when q is the posterior; its Monte Carlo noise shrinks as 1/sqrt(L).
      assertEquals(exact, Elbo.estimate(m, x, 20_000, random).elbo(), 0.05);
    }
  }

  @Test
  void iwaeRisesWithKTowardsTheExactMarginalAndBeatsThePrior() {
    ProbabilisticPca m = model();
    LatentGaussianModel q = misfit(m);
    Random random = new Random(11);
    int rows = 25;
    int[] ks = {1, 10, 100, 1000};
    double[] gap = new double[ks.length];
    double elboGap = 0;
    double priorGap = 0;
    for (int r = 0; r < rows; r++) {
      double[] x = m.sample(random);
      double exact = m.logMarginal(x);
      Elbo elbo = Elbo.estimate(q, x, 5000, random);
      assertTrue(elbo.elbo() < exact, "ELBO above log p(x)");
      elboGap += (exact - elbo.elbo()) / rows;
      for (int i = 0; i < ks.length; i++) {
        // Averaged over repeats so the ordering in K is not Monte Carlo luck.
        double mean = 0;
        for (int rep = 0; rep < 20; rep++) {
          mean += ImportanceSampler.estimate(q, x, ks[i], ImportanceSampler.Proposal.POSTERIOR,
              random, 256).logLikelihood() / 20;
        }
        gap[i] += (exact - mean) / rows;
      }
      ImportanceSampler.Estimate large = ImportanceSampler.estimate(q, x, 5000,
          ImportanceSampler.Proposal.POSTERIOR, random, 500);
      assertEquals(exact, large.logLikelihood(), 4 * large.standardError() + 1e-3,
          "K = 5000 within its Monte Carlo error");
      priorGap += (exact - ImportanceSampler.estimate(q, x, 100, ImportanceSampler.Proposal.PRIOR,
          random, 100).logLikelihood()) / rows;
    }
    assertTrue(elboGap > 0.3, "the misfit encoder should leave a clear ELBO gap: " + elboGap);
    assertTrue(gap[0] < elboGap + 0.05 && gap[0] > elboGap - 0.05,
        "IWAE with K = 1 is the ELBO in expectation: " + gap[0] + " vs " + elboGap);
    for (int i = 1; i < ks.length; i++) {
      assertTrue(gap[i] < gap[i - 1], "gap should shrink with K: " + java.util.Arrays.toString(gap));
    }
    assertTrue(gap[ks.length - 1] < 0.02, "K = 1000 close to exact: " + gap[ks.length - 1]);
    assertTrue(priorGap > gap[2], "prior proposal at K = 100 (" + priorGap
        + ") should be worse than the encoder's (" + gap[2] + ")");
  }

  @Test
  void chunkingDoesNotChangeTheEstimate() {
    ProbabilisticPca m = model();
    double[] x = m.sample(new Random(2));
    double a = ImportanceSampler.estimate(m, x, 3000, ImportanceSampler.Proposal.POSTERIOR,
        new Random(9), 3000).logLikelihood();
    double b = ImportanceSampler.estimate(m, x, 3000, ImportanceSampler.Proposal.POSTERIOR,
        new Random(9), 7).logLikelihood();
    assertEquals(a, b, 1e-10);
  }
}
