package org.sparklvm.core.settings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.PriorSettings;
import org.sparklvm.core.model.MixtureFormat;
import org.sparklvm.core.model.ModelFormatException;
import org.sparklvm.core.vae.Likelihood;
import org.sparklvm.core.vae.VaeArchitecture;
import org.sparklvm.core.vae.VaeSettings;

class SettingTest {

  @Test
  void messagesNameTheSettingItsRangeAndTheValue() {
    assertEquals("--tol must be at least 0, got -1.0",
        assertThrows(InvalidSettingException.class, () -> EmSettings.TOL.check(-1.0)).getMessage());
    assertEquals("--max-iter (maxIter) must be at least 1, got 0",
        assertThrows(InvalidSettingException.class, () -> EmSettings.MAX_ITER.check(0))
            .getMessage());
    assertEquals("--validation-fraction (validationFraction) must be in [0, 1), got 1.5",
        assertThrows(InvalidSettingException.class,
            () -> VaeSettings.VALIDATION_FRACTION.check(1.5)).getMessage());
    assertEquals("--learning-rate (learningRate) must be greater than 0, got 0.0",
        assertThrows(InvalidSettingException.class, () -> VaeSettings.LEARNING_RATE.check(0.0))
            .getMessage());
    assertEquals("--encoder must each be at least 1, got 8,0",
        assertThrows(InvalidSettingException.class,
            () -> VaeSettings.ENCODER.check(new int[] {8, 0})).getMessage());
    assertEquals("--covariance (covarianceType) must be one of full, diag, tied, spherical,"
        + " got 'banana'", assertThrows(InvalidSettingException.class,
            () -> EmSettings.COVARIANCE.check("banana")).getMessage());
    assertSame(EmSettings.K,
        assertThrows(InvalidSettingException.class, () -> EmSettings.K.check(0)).setting());
  }

  @Test
  void doublesAreFiniteAndBoundsAreWhereDeclared() {
    assertFalse(EmSettings.REG_COVAR.accepts(Double.POSITIVE_INFINITY));
    assertFalse(EmSettings.TOL.accepts(Double.NaN));
    assertTrue(EmSettings.TOL.accepts(0.0));
    assertTrue(VaeSettings.VALIDATION_FRACTION.accepts(0.0));
    assertFalse(VaeSettings.VALIDATION_FRACTION.accepts(1.0));
    assertFalse(TaskSettings.ANOMALY_QUANTILE.accepts(0.0));
    assertTrue(EmSettings.SEED.accepts(Long.MIN_VALUE));
    assertFalse(EmSettings.SEED.restricted());
    assertFalse(EmSettings.MAX_ITER.accepts(100L), "a long is not an int setting's value");
    assertNull(EmSettings.MAX_ITER.problem(1));
  }

  @Test
  void aDefaultOutsideItsOwnRangeIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> Setting.integer("--x", "x", 0, Setting.Range.atLeast(1), "x"));
  }

  @Test
  void recordsValidateThroughTheDeclarations() {
    EmSettings d = EmSettings.defaults(3);
    assertEquals(new EmSettings(3, CovarianceType.FULL, 100, 1e-3, 1e-6,
        EmSettings.Initialization.KMEANS_PLUS_PLUS, 1, 42), d);
    assertThrows(InvalidSettingException.class, () -> d.withK(0));
    VaeSettings v = VaeSettings.defaults();
    assertArrayEquals(new int[] {512, 256}, v.encoder());
    assertEquals(42L, v.seed());
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> new VaeArchitecture(4, 2, new int[] {4}, new int[] {4}, Likelihood.GAUSSIAN, 1, -1.0,
            1e-3, 256, 1));
    assertSame(VaeSettings.BETA, e.setting());
  }

  @Test
  void everyDeclarationIsListed() throws IllegalAccessException {
    // A new setting left out of the list would be missing from the command line and Spark ML.
    assertEquals(Set.copyOf(declaredIn(EmSettings.class)), Set.copyOf(EmSettings.DECLARED));
    assertEquals(Set.copyOf(declaredIn(VaeSettings.class)), Set.copyOf(VaeSettings.DECLARED));
    assertEquals(Set.copyOf(declaredIn(PriorSettings.class)), Set.copyOf(PriorSettings.DECLARED));
  }

  @Test
  void aListOfRealsChecksEveryValueAndIsCopied() {
    Setting<double[]> s = PriorSettings.MEAN_PRIOR;
    assertTrue(s.list());
    assertNull(s.defaultValue());
    assertEquals("each finite", s.validValues());
    assertTrue(s.accepts(new double[] {-1.5, 0.0, 2e10}));
    assertEquals("--mean-prior (meanPrior) must each be finite, got 1.0,NaN",
        assertThrows(InvalidSettingException.class,
            () -> s.check(new double[] {1.0, Double.NaN})).getMessage());
    double[] given = {1.0, 2.0};
    Setting<double[]> withDefault = new Setting<>("--xs", "xs", double[].class, given,
        Setting.Range.atLeast(0), List.of(), "some values");
    given[0] = -1.0;
    assertArrayEquals(new double[] {1.0, 2.0}, withDefault.defaultValue());
    withDefault.defaultValue()[1] = 7.0;
    assertEquals("1.0,2.0", withDefault.defaultText());
  }

  @Test
  void modelsSavedWithANegativeToleranceStillLoad() {
    var params = MixtureFormat.params(EmSettings.defaults(3));
    params.put("tol", -1.0);
    assertEquals(0.0, MixtureFormat.settings(params, "old model").tolerance());
    params.put("maxIter", 0);
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> MixtureFormat.settings(params, "old model"));
    assertEquals("old model: --max-iter (maxIter) must be at least 1, got 0", e.getMessage());
  }

  /** The static Setting fields of a class. */
  static List<Setting<?>> declaredIn(Class<?> type) throws IllegalAccessException {
    List<Setting<?>> out = new ArrayList<>();
    for (Field f : type.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == Setting.class) {
        out.add((Setting<?>) f.get(null));
      }
    }
    return out;
  }
}
