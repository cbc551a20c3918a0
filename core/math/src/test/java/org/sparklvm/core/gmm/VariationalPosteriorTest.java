package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.data.RowBlock;

/** The posterior's two mixtures, its stored form and the entropy identity of the bound. */
class VariationalPosteriorTest {

  private static final int K = 4;

  private static VariationalFit fit(CovarianceType type, WeightPrior w, RowBlock x, int iterations) {
    MixturePrior prior = MixturePrior.withDefaults(w, type, K, BayesTestData.mean(x),
        BayesTestData.covariance(x), null, null, null, null, null);
    int[] labels = new int[x.rows()];
    for (int r = 0; r < labels.length; r++) {
      labels[r] = r % K;
    }
    return VariationalBayes.run(BayesTestData.labelStatistics(x, labels, K, type),
        TestData.pass(List.of(x)), prior,
        new EmSettings(K, type, iterations, 0.0, 1e-6, EmSettings.Initialization.RANDOM, 1, 0),
        (i, b, s) -> { });
  }

  private static RowBlock data(long seed) {
    return TestData.concat(TestData.draw(TestData.planted(CovarianceType.FULL), 200, 200, seed));
  }

  @Test
  void entropyFromTheStatisticsEqualsTheSumOverRows() {
    RowBlock x = data(3);
    double[] weights = new double[x.rows()];
    for (int r = 0; r < weights.length; r++) {
      weights[r] = 0.5 + (r % 3);
    }
    RowBlock weighted = new RowBlock(x.rows(), x.dim(), x.values(), weights);
    for (CovarianceType type : CovarianceType.values()) {
      for (WeightPrior w : WeightPrior.values()) {
        VariationalPosterior q = fit(type, w, x, 3).posterior();
        GaussianMixtureModel m = q.expectationMixture();
        SufficientStatistics stats = new SufficientStatistics(m).add(weighted);
        double direct = 0.0;
        for (int r = 0; r < x.rows(); r++) {
          for (double p : m.responsibilities(x.row(r))) {
            direct += p > 0 ? weights[r] * p * Math.log(p) : 0.0;
          }
        }
        assertEquals(direct, VariationalBayes.negativeEntropy(stats, q), 1e-9 * x.rows(),
            type + " " + w.id());
      }
    }
  }

  @Test
  void integerWeightsAreRepeatedRows() {
    RowBlock x = data(5);
    int n = x.rows();
    int d = x.dim();
    double[] weights = new double[n];
    double[] repeated = new double[3 * n * d];
    int rows = 0;
    for (int r = 0; r < n; r++) {
      weights[r] = 1 + r % 3;
      for (int copy = 0; copy < weights[r]; copy++) {
        System.arraycopy(x.values(), r * d, repeated, rows++ * d, d);
      }
    }
    RowBlock weighted = new RowBlock(n, d, x.values(), weights);
    RowBlock copies = new RowBlock(rows, d, java.util.Arrays.copyOf(repeated, rows * d), null);
    // The same starting labels for every copy of a row.
    int[] labels = new int[n];
    int[] copyLabels = new int[rows];
    for (int r = 0, at = 0; r < n; r++) {
      labels[r] = r % K;
      for (int copy = 0; copy < weights[r]; copy++) {
        copyLabels[at++] = labels[r];
      }
    }
    for (CovarianceType type : CovarianceType.values()) {
      MixturePrior prior = MixturePrior.withDefaults(WeightPrior.DIRICHLET_PROCESS, type, K,
          BayesTestData.mean(copies), BayesTestData.covariance(copies), null, null, null, null,
          null);
      EmSettings s =
          new EmSettings(K, type, 10, 0.0, 1e-6, EmSettings.Initialization.RANDOM, 1, 0);
      VariationalFit a = VariationalBayes.run(
          BayesTestData.labelStatistics(weighted, labels, K, type),
          TestData.pass(List.of(weighted)), prior, s, (i, b, t) -> { });
      VariationalFit b = VariationalBayes.run(
          BayesTestData.labelStatistics(copies, copyLabels, K, type),
          TestData.pass(List.of(copies)), prior, s, (i, bound, t) -> { });
      for (int i = 0; i < 10; i++) {
        assertEquals(b.lowerBoundHistory().get(i), a.lowerBoundHistory().get(i), 1e-10,
            type + " iteration " + (i + 1));
      }
      assertEquals(b.meanLogLikelihood(), a.meanLogLikelihood(), 1e-10);
      assertEquals(rows, (long) a.totalWeight());
    }
  }

  @Test
  void theExpectationMixturesLogDensityIsTheShiftedLogRho() {
    RowBlock x = data(7);
    VariationalPosterior q = fit(CovarianceType.DIAG, WeightPrior.DIRICHLET, x, 5).posterior();
    double[] logRhoWeights = q.expectationLogWeights();
    double[] row = x.row(0);
    double expected = 0.0;
    double[][] covs = q.covariances();
    double[][] means = q.means();
    double[] terms = new double[K];
    for (int c = 0; c < K; c++) {
      double quad = 0.0;
      double logDet = 0.0;
      for (int j = 0; j < 3; j++) {
        double v = covs[c][j * 3 + j];
        quad += (row[j] - means[c][j]) * (row[j] - means[c][j]) / v;
        logDet += Math.log(v);
      }
      terms[c] = logRhoWeights[c] - 1.5 * Math.log(2 * Math.PI) - 0.5 * logDet - 0.5 * quad;
    }
    expected = VariationalPosterior.logSumExp(terms) - q.expectationLogWeightShift();
    assertEquals(expected, q.expectationMixture().logDensity(row), 1e-12);
  }

  @Test
  void storedArraysRebuildTheSamePosterior() throws Exception {
    for (CovarianceType type : CovarianceType.values()) {
      for (WeightPrior w : WeightPrior.values()) {
        VariationalPosterior q = fit(type, w, data(2), 4).posterior();
        VariationalPosterior back = VariationalPosterior.of(q.prior(), q.weightConcentration(),
            q.meanPrecision(), q.means(), q.degreesOfFreedom(), q.covariances());
        assertTrue(back.expectedMixture().hasSameParameters(q.expectedMixture()));
        assertTrue(back.expectationMixture().hasSameParameters(q.expectationMixture()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
          out.writeObject(q);
        }
        VariationalPosterior read;
        try (ObjectInputStream in =
            new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
          read = (VariationalPosterior) in.readObject();
        }
        assertTrue(read.expectationMixture().hasSameParameters(q.expectationMixture()));
        assertEquals(q.prior(), read.prior());
      }
    }
  }

  @Test
  void expectedWeightsAreThePosteriorMeans() {
    MixturePrior dp = MixturePrior.withDefaults(WeightPrior.DIRICHLET_PROCESS,
        CovarianceType.SPHERICAL, 3, new double[] {0}, new double[] {1}, null, null, null, null,
        null);
    double[][] cov = {{1}, {1}, {1}};
    VariationalPosterior q = VariationalPosterior.of(dp,
        new double[][] {{3, 1, 1}, {1, 3, 1}}, new double[] {1, 1, 1}, new double[][] {{0}, {1},
            {2}}, new double[] {2, 2, 2}, cov);
    // Sticks: 3/4, then 1/4 * 1/4, then 1/4 * 3/4 * 1/2; renormalised over the three.
    double[] raw = {0.75, 0.0625, 0.09375};
    double sum = raw[0] + raw[1] + raw[2];
    assertArrayEquals(new double[] {raw[0] / sum, raw[1] / sum, raw[2] / sum},
        q.expectedWeights(), 1e-15);
    assertEquals(1, q.effectiveComponents(0.2));
    assertEquals(2, q.effectiveComponents(0.1));
    assertEquals(3, q.effectiveComponents(0.01));
    MixturePrior dir = new MixturePrior(WeightPrior.DIRICHLET, CovarianceType.SPHERICAL, 1, 1.0,
        1.0, new double[] {0}, 1.0, new double[] {1});
    VariationalPosterior r = VariationalPosterior.of(dir, new double[][] {{2, 6, 2}},
        new double[] {1, 1, 1}, new double[][] {{0}, {1}, {2}}, new double[] {2, 2, 2}, cov);
    assertArrayEquals(new double[] {0.2, 0.6, 0.2}, r.expectedWeights(), 1e-15);
  }

  @Test
  void badStoredArraysAreRefusedNamingTheField() {
    MixturePrior prior = new MixturePrior(WeightPrior.DIRICHLET_PROCESS, CovarianceType.DIAG, 2,
        0.5, 1.0, new double[2], 2.0, new double[] {1, 1});
    double[][] conc = {{1, 1, 1, 1}, {1, 1, 1, 1}};
    double[] ones = {1, 1, 1, 1};
    double[] dof = {3, 3, 3, 3};
    double[][] means = new double[4][2];
    double[] id = {1, 0, 0, 1};
    double[][] covs = {id, id, id, id};
    VariationalPosterior.of(prior, conc, ones, means, dof, covs);
    assertEquals("found 3 mean precisions but 4 components", refusal(() ->
        VariationalPosterior.of(prior, conc, new double[3], means, dof, covs)));
    assertEquals("found 1 rows of weight concentrations but a dirichlet-process prior has 2",
        refusal(() -> VariationalPosterior.of(prior, new double[][] {ones}, ones, means, dof,
            covs)));
    assertEquals("found 5 degrees of freedom but 4 components", refusal(() ->
        VariationalPosterior.of(prior, conc, ones, means, new double[5], covs)));
    assertEquals("component 2: degrees of freedom 0.5 not above d - 1 = 1", refusal(() ->
        VariationalPosterior.of(prior, conc, ones, means, new double[] {3, 3, 0.5, 3}, covs)));
    assertEquals("component 1: mean precision 0.0 is not positive", refusal(() ->
        VariationalPosterior.of(prior, conc, new double[] {1, 0, 1, 1}, means, dof, covs)));
    assertEquals("component 3: mean has 3 entries, the prior has 2", refusal(() ->
        VariationalPosterior.of(prior, conc, ones, new double[][] {{0, 0}, {0, 0}, {0, 0},
            {0, 0, 0}}, dof, covs)));
    assertEquals("component 0: a diagonal covariance has off-diagonal entry (0, 1) = 0.5",
        refusal(() -> VariationalPosterior.of(prior, conc, ones, means, dof,
            new double[][] {{1, 0.5, 0.5, 1}, id, id, id})));
    assertEquals("component 1: covariance is not positive definite", refusal(() ->
        VariationalPosterior.of(prior, conc, ones, means, dof,
            new double[][] {id, {1, 0, 0, -1}, id, id})));
  }

  @Test
  void theBoundRefusesStatisticsTakenUnderAnotherMixture() {
    RowBlock x = data(9);
    VariationalPosterior q = fit(CovarianceType.FULL, WeightPrior.DIRICHLET, x, 2).posterior();
    SufficientStatistics stats = new SufficientStatistics(q.expectedMixture()).add(x);
    VariationalPosterior next = VariationalMaximizationStep.apply(stats, q.prior(), 1e-6);
    assertThrows(IllegalArgumentException.class, () -> VariationalBayes.lowerBound(stats, q, next));
  }

  @Test
  void aDiagonalPriorReadsTheDiagonalOfFullStatistics() {
    RowBlock x = data(4);
    int[] labels = new int[x.rows()];
    for (int r = 0; r < labels.length; r++) {
      labels[r] = (r * 7) % K;
    }
    for (CovarianceType diagonal : List.of(CovarianceType.DIAG, CovarianceType.SPHERICAL)) {
      MixturePrior prior = MixturePrior.withDefaults(WeightPrior.DIRICHLET, diagonal, K,
          BayesTestData.mean(x), BayesTestData.covariance(x), null, null, null, null, null);
      VariationalPosterior fromFull = VariationalMaximizationStep.apply(
          BayesTestData.labelStatistics(x, labels, K, CovarianceType.FULL), prior, 1e-6);
      VariationalPosterior fromOwn = VariationalMaximizationStep.apply(
          BayesTestData.labelStatistics(x, labels, K, diagonal), prior, 1e-6);
      for (int c = 0; c < K; c++) {
        assertArrayEquals(fromOwn.covariances()[c], fromFull.covariances()[c], 1e-12);
        assertArrayEquals(fromOwn.means()[c], fromFull.means()[c], 1e-12);
      }
    }
    MixturePrior full = MixturePrior.withDefaults(WeightPrior.DIRICHLET, CovarianceType.FULL, K,
        BayesTestData.mean(x), BayesTestData.covariance(x), null, null, null, null, null);
    assertThrows(IllegalArgumentException.class, () -> VariationalMaximizationStep.apply(
        BayesTestData.labelStatistics(x, labels, K, CovarianceType.DIAG), full, 1e-6));
  }

  private static String refusal(org.junit.jupiter.api.function.Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }
}
