package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link GaussianMixtureModel#validated}: every structural refusal names its component. */
class ValidatedMixtureTest {

  private static final double[][] MEANS = {{0, 0}, {1, 1}, {2, 0}, {0, 3}};
  private static final double[] WEIGHTS = {0.25, 0.25, 0.25, 0.25};

  private static String refusal(
      CovarianceType type, double[] weights, double[][] means, double[][] covs) {
    return assertThrows(IllegalArgumentException.class,
        () -> GaussianMixtureModel.validated(type, weights, means, covs)).getMessage();
  }

  private static String refusal(CovarianceType type, double[][] covs) {
    return refusal(type, WEIGHTS, MEANS, covs);
  }

  @Test
  void acceptsThePlantedMixtureOfEveryFamily() {
    for (CovarianceType type : CovarianceType.values()) {
      GaussianMixtureModel planted = TestData.planted(type);
      double[][] means = new double[3][];
      double[][] covs = new double[3][];
      for (int c = 0; c < 3; c++) {
        means[c] = planted.mean(c);
        covs[c] = planted.covariance(c);
      }
      GaussianMixtureModel loaded =
          GaussianMixtureModel.validated(type, planted.weights(), means, covs);
      assertTrue(loaded.hasSameParameters(planted), type.id());
    }
  }

  @Test
  void refusesADiagonalCovarianceWithOffDiagonalEntries() {
    assertEquals("component 2: a diagonal covariance has off-diagonal entry (0, 1) = 0.3",
        refusal(CovarianceType.DIAG, new double[][] {
            {1, 0, 0, 1}, {2, 0, 0, 1}, {1, 0.3, 0.3, 1}, {1, 0, 0, 4}}));
  }

  @Test
  void refusesTiedCovariancesThatDiffer() {
    double[] tied = {2, 0.5, 0.5, 1};
    String message = refusal(CovarianceType.TIED, new double[][] {
        tied, tied, {2, 0.5, 0.5, 1.000001}, tied});
    assertEquals("component 2: tied covariances differ from component 0's (entry (1, 1) is 1.000001"
        + " against 1.0)", message);
  }

  @Test
  void refusesASphericalCovarianceWithUnequalVariances() {
    assertEquals("component 1: a spherical covariance has unequal variances ((0, 0) = 2.0 but"
        + " (1, 1) = 3.0)", refusal(CovarianceType.SPHERICAL, new double[][] {
            {1, 0, 0, 1}, {2, 0, 0, 3}, {1, 0, 0, 1}, {1, 0, 0, 1}}));
    assertEquals("component 0: a spherical covariance has off-diagonal entry (0, 1) = -0.1",
        refusal(CovarianceType.SPHERICAL, new double[][] {
            {1, -0.1, -0.1, 1}, {1, 0, 0, 1}, {1, 0, 0, 1}, {1, 0, 0, 1}}));
  }

  @Test
  void refusesACovarianceThatIsNotSymmetric() {
    assertEquals("component 0: covariance is not symmetric ((0,1) = 0.2 but (1,0) = 0.3)",
        refusal(CovarianceType.FULL, new double[][] {
            {1, 0.2, 0.3, 1}, {1, 0, 0, 1}, {1, 0, 0, 1}, {1, 0, 0, 1}}));
  }

  @Test
  void refusesACovarianceThatIsNotPositiveDefinite() {
    // Symmetric with eigenvalues 3 and -1.
    assertEquals("component 3: covariance is not positive definite",
        refusal(CovarianceType.FULL, new double[][] {
            {1, 0, 0, 1}, {1, 0, 0, 1}, {1, 0, 0, 1}, {1, 2, 2, 1}}));
  }

  @Test
  void refusesNonFiniteValuesNamingTheComponent() {
    double[][] identity = {{1, 0, 0, 1}, {1, 0, 0, 1}, {1, 0, 0, 1}, {1, 0, 0, 1}};
    assertEquals("component 1: covariance entry (0, 1) is NaN",
        refusal(CovarianceType.FULL, new double[][] {
            {1, 0, 0, 1}, {1, Double.NaN, 0, 1}, {1, 0, 0, 1}, {1, 0, 0, 1}}));
    assertEquals("component 2: mean entry 1 is Infinity", refusal(CovarianceType.FULL, WEIGHTS,
        new double[][] {{0, 0}, {1, 1}, {2, Double.POSITIVE_INFINITY}, {0, 3}}, identity));
    assertEquals("component 0: weight is NaN", refusal(CovarianceType.FULL,
        new double[] {Double.NaN, 0.25, 0.25, 0.25}, MEANS, identity));
  }

  @Test
  void refusesWeightsThatAreNegativeOrDoNotSumToOne() {
    double[][] identity = {{1, 0, 0, 1}, {1, 0, 0, 1}, {1, 0, 0, 1}, {1, 0, 0, 1}};
    assertEquals("component 1: weight -0.1 is not positive", refusal(CovarianceType.FULL,
        new double[] {0.5, -0.1, 0.3, 0.3}, MEANS, identity));
    // Powers of two, so the sum 15/16 is exact.
    assertEquals("weights sum to 0.9375, not 1", refusal(CovarianceType.FULL,
        new double[] {0.5, 0.25, 0.125, 0.0625}, MEANS, identity));
  }

  @Test
  void refusesMeansAndCovariancesOfTheWrongDimension() {
    double[][] identity = {{1, 0, 0, 1}, {1, 0, 0, 1}, {1, 0, 0, 1}, {1, 0, 0, 1}};
    assertEquals("component 3: mean has 3 entries, expected 2 (component 0's)",
        refusal(CovarianceType.FULL, WEIGHTS, new double[][] {{0, 0}, {1, 1}, {2, 0}, {0, 3, 1}},
            identity));
    assertEquals("component 1: covariance has 3 entries, expected 4 (2 x 2)",
        refusal(CovarianceType.FULL, new double[][] {
            {1, 0, 0, 1}, {1, 0, 1}, {1, 0, 0, 1}, {1, 0, 0, 1}}));
  }

  /**
   * Differences far below 1e-9 of the diagonal scale are rounding, not structure: a tied copy and a
   * mirrored entry that each differ in the last digits still load, and the copy is what was given.
   */
  @Test
  void acceptsRoundingDifferencesBelowTheTolerance() {
    double off = 0.3;
    double offRounded = off * (1 + 1e-13);
    double[] tied = {4, off, off, 9};
    double[] nearlyTied = {4, off, offRounded, 9 * (1 + 1e-13)};
    GaussianMixtureModel m = GaussianMixtureModel.validated(CovarianceType.TIED, WEIGHTS, MEANS,
        new double[][] {tied, nearlyTied, tied, tied});
    assertEquals(offRounded, m.covariance(1)[2], 0.0);
    // 1e-8 of the scale sqrt(4 * 9) = 6 is above the tolerance, and refused.
    String message = refusal(CovarianceType.FULL, new double[][] {
        {4, off, off + 6e-8, 9}, tied, tied, tied});
    assertTrue(message.startsWith("component 0: covariance is not symmetric"), message);
  }
}
