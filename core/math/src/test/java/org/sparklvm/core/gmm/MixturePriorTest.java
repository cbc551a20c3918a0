package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.sparklvm.core.settings.InvalidSettingException;

/** Priors are refused with the option named, and unset values take scikit-learn's defaults. */
class MixturePriorTest {

  private static final double[] MEAN = {1.0, 2.0};
  private static final double[] COV = {2.0, 0.5, 0.5, 1.0};

  private static MixturePrior prior(CovarianceType type, Double concentration, Double precision,
      double[] meanPrior, Double dof, double[] covPrior) {
    return MixturePrior.withDefaults(WeightPrior.DIRICHLET_PROCESS, type, 4, MEAN, COV,
        concentration, precision, meanPrior, dof, covPrior);
  }

  private static String refusal(Executable e) {
    return assertThrows(InvalidSettingException.class, e).getMessage();
  }

  @Test
  void defaultsAreScikitLearns() {
    MixturePrior full = prior(CovarianceType.FULL, null, null, null, null, null);
    assertEquals(0.25, full.weightConcentration());
    assertEquals(1.0, full.meanPrecision());
    assertArrayEquals(MEAN, full.meanPrior());
    assertEquals(2.0, full.degreesOfFreedom());
    assertArrayEquals(COV, full.covariancePrior());
    assertArrayEquals(COV, prior(CovarianceType.TIED, null, null, null, null, null)
        .covariancePrior());
    assertArrayEquals(new double[] {2.0, 1.0}, prior(CovarianceType.DIAG, null, null, null, null,
        null).covariancePrior());
    assertArrayEquals(new double[] {1.5}, prior(CovarianceType.SPHERICAL, null, null, null, null,
        null).covariancePrior());
  }

  @Test
  void givenValuesAreKept() {
    MixturePrior p = prior(CovarianceType.DIAG, 3.0, 0.1, new double[] {0, 0}, 1.5,
        new double[] {0.2, 0.3});
    assertEquals(3.0, p.weightConcentration());
    assertEquals(0.1, p.meanPrecision());
    assertArrayEquals(new double[] {0, 0}, p.meanPrior());
    assertEquals(1.5, p.degreesOfFreedom());
    assertArrayEquals(new double[] {0.2, 0, 0, 0.3}, p.covariancePriorMatrix());
  }

  @Test
  void badPriorsAreRefusedNamingTheOption() {
    assertEquals("--weight-concentration must be > 0, got 0.0",
        refusal(() -> prior(CovarianceType.FULL, 0.0, null, null, null, null)));
    assertEquals("--weight-concentration must be > 0, got -1.0",
        refusal(() -> prior(CovarianceType.FULL, -1.0, null, null, null, null)));
    assertEquals("--mean-precision must be > 0, got NaN",
        refusal(() -> prior(CovarianceType.FULL, null, Double.NaN, null, null, null)));
    assertEquals("--degrees-of-freedom must be greater than dim - 1 = 1, got 1.0",
        refusal(() -> prior(CovarianceType.FULL, null, null, null, 1.0, null)));
    assertEquals("--degrees-of-freedom must be greater than dim - 1 = 1, got -3.0",
        refusal(() -> prior(CovarianceType.SPHERICAL, null, null, null, -3.0, null)));
    assertEquals("--mean-prior has 3 values, the data has 2 dimensions",
        refusal(() -> prior(CovarianceType.FULL, null, null, new double[3], null, null)));
    assertEquals("--mean-prior value 1 is Infinity", refusal(() -> prior(CovarianceType.FULL,
        null, null, new double[] {0, Double.POSITIVE_INFINITY}, null, null)));
    assertEquals("--covariance-prior has 3 values, a full covariance prior needs 4 (2 x 2)",
        refusal(() -> prior(CovarianceType.FULL, null, null, null, null, new double[3])));
    assertEquals("--covariance-prior has 4 values, a diag covariance prior needs 2 (one variance"
        + " per dimension)", refusal(() -> prior(CovarianceType.DIAG, null, null, null, null,
            COV)));
    assertEquals("--covariance-prior has 2 values, a spherical covariance prior needs 1 (one"
        + " variance)", refusal(() -> prior(CovarianceType.SPHERICAL, null, null, null, null,
            new double[2])));
    assertEquals("--covariance-prior is not positive definite", refusal(() -> prior(
        CovarianceType.TIED, null, null, null, null, new double[] {1, 2, 2, 1})));
    assertEquals("--covariance-prior is not symmetric: (1, 0) = 0.1 but (0, 1) = 0.5",
        refusal(() -> prior(CovarianceType.FULL, null, null, null, null,
            new double[] {1, 0.5, 0.1, 1})));
    assertEquals("--covariance-prior is not positive definite: a variance is -0.3",
        refusal(() -> prior(CovarianceType.DIAG, null, null, null, null,
            new double[] {1, -0.3})));
    assertEquals("--covariance-prior is not positive definite: a variance is 0.0",
        refusal(() -> prior(CovarianceType.SPHERICAL, null, null, null, null, new double[1])));
  }

  @Test
  void degreesOfFreedomJustAboveDimensionMinusOneAreAccepted() {
    assertEquals(1.01, prior(CovarianceType.FULL, null, null, null, 1.01, null)
        .degreesOfFreedom());
  }

  @Test
  void aConstantColumnMakesTheDefaultCovariancePriorSingular() {
    assertEquals("--covariance-prior is not positive definite",
        refusal(() -> MixturePrior.withDefaults(WeightPrior.DIRICHLET, CovarianceType.FULL, 2,
            MEAN, new double[] {1, 0, 0, 0}, null, null, null, null, null)));
  }

  @Test
  void weightPriorIdsRoundTripAndUnknownOnesAreListed() {
    for (WeightPrior p : WeightPrior.values()) {
      assertEquals(p, WeightPrior.fromId(p.id()));
    }
    assertEquals("unknown weight prior 'pitman-yor' (expected dirichlet-process or dirichlet)",
        assertThrows(IllegalArgumentException.class, () -> WeightPrior.fromId("pitman-yor"))
            .getMessage());
  }
}
