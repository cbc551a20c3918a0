package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.model.MixtureFormat;
import org.sparklvm.core.model.ModelFormatException;
import org.sparklvm.core.settings.InvalidSettingException;
import org.sparklvm.core.settings.Setting;

class PriorSettingsTest {

  private static Setting.Values values(Map<Setting<?>, Object> given) {
    return new Setting.Values() {
      @Override
      public <T> T get(Setting<T> s) {
        return s.type().cast(given.get(s));
      }
    };
  }

  @Test
  void noPriorIsAMaximumLikelihoodFitAndItsOptionsNeedOne() {
    assertNull(PriorSettings.from(values(Map.of())));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PriorSettings.from(values(Map.of(PriorSettings.MEAN_PRECISION, 2.0))));
    assertEquals("--mean-precision (meanPrecision) goes with --prior (dirichlet-process or"
        + " dirichlet)", e.getMessage());
  }

  /**
   * Unset values take scikit-learn 1.2.1's defaults ({@code _check_parameters} of {@code
   * BayesianGaussianMixture}): 1/k, 1, the data mean, d, and the covariance adapted to the type.
   */
  @Test
  void unsetValuesTakeScikitLearnsDefaults() {
    Map<Setting<?>, Object> given = new HashMap<>();
    given.put(PriorSettings.PRIOR, "dirichlet");
    PriorSettings asked = PriorSettings.from(values(given));
    double[] mean = {1.0, -2.0};
    double[] cov = {4.0, 1.0, 1.0, 2.0};
    MixturePrior full = asked.resolve(CovarianceType.FULL, 8, mean, cov);
    assertEquals(WeightPrior.DIRICHLET, full.weightPrior());
    assertEquals(0.125, full.weightConcentration());
    assertEquals(1.0, full.meanPrecision());
    assertArrayEquals(mean, full.meanPrior());
    assertEquals(2.0, full.degreesOfFreedom());
    assertArrayEquals(cov, full.covariancePrior());
    assertArrayEquals(new double[] {4.0, 2.0},
        asked.resolve(CovarianceType.DIAG, 8, mean, cov).covariancePrior());
    assertArrayEquals(new double[] {3.0},
        asked.resolve(CovarianceType.SPHERICAL, 8, mean, cov).covariancePrior());

    given.put(PriorSettings.WEIGHT_CONCENTRATION, 2.5);
    given.put(PriorSettings.DEGREES_OF_FREEDOM, 1.5);
    given.put(PriorSettings.COVARIANCE_PRIOR, new double[] {0.5});
    MixturePrior set = PriorSettings.from(values(given)).resolve(CovarianceType.SPHERICAL, 8,
        mean, cov);
    assertEquals(2.5, set.weightConcentration());
    assertEquals(1.5, set.degreesOfFreedom());
    assertArrayEquals(new double[] {0.5}, set.covariancePrior());
  }

  @Test
  void valuesThatDoNotFitTheDataNameTheirOption() {
    Map<Setting<?>, Object> given = new HashMap<>();
    given.put(PriorSettings.PRIOR, "dirichlet-process");
    given.put(PriorSettings.MEAN_PRIOR, new double[] {0.0, 0.0, 0.0});
    PriorSettings asked = PriorSettings.from(values(given));
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> asked.resolve(CovarianceType.FULL, 3, new double[2], new double[] {1, 0, 0, 1}));
    assertEquals("--mean-prior has 3 values, the data has 2 dimensions", e.getMessage());
  }

  /** The prior is stored in the metadata's params and read back equal; a damaged one is named. */
  @Test
  void thePriorRoundTripsThroughTheModelParams() {
    MixturePrior prior = new MixturePrior(WeightPrior.DIRICHLET_PROCESS, CovarianceType.TIED, 2,
        0.1, 2.0, new double[] {1.0, 2.0}, 3.0, new double[] {2.0, 0.5, 0.5, 1.0});
    var params = MixtureFormat.params(EmSettings.defaults(10).withCovarianceType(
        CovarianceType.TIED));
    params.put("dim", 2);
    assertNull(MixtureFormat.prior(params, "model"));
    params.set("prior", MixtureFormat.params(prior));
    assertEquals(prior, MixtureFormat.prior(params, "model"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) params.get("prior"))
        .put("degreesOfFreedom", 0.5);
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> MixtureFormat.prior(params, "model"));
    assertEquals("model: params.prior: --degrees-of-freedom must be greater than dim - 1 = 1,"
        + " got 0.5", e.getMessage());
    params.with("prior").remove("meanPrior");
    assertEquals("model: params.prior: parameter 'meanPrior' is missing or not a list",
        assertThrows(ModelFormatException.class, () -> MixtureFormat.prior(params, "model"))
            .getMessage());
  }
}
