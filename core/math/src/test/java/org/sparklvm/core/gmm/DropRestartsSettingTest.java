package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.sparklvm.core.model.MixtureFormat;
import org.sparklvm.core.model.ModelFormatException;
import org.sparklvm.core.settings.InvalidSettingException;

/** {@code --drop-restarts-after}: the rule it makes, its range, and its place in a model's params. */
class DropRestartsSettingTest {

  private static EmSettings dropAfter(int iterations) {
    return new EmSettings(3, CovarianceType.DIAG, 50, 1e-4, 1e-6,
        EmSettings.Initialization.RANDOM, 4, iterations, 9);
  }

  @Test
  void theSettingMakesTheRuleItNamesAndZeroNeverDrops() {
    assertSame(RestartPruning.NONE, dropAfter(0).pruning());
    assertEquals(new RestartPruning(7, RestartPruning.WINDOW, 0.0), dropAfter(7).pruning());
    // The rule --n-init ran before the setting existed: from iteration 5, the largest of 3 gains.
    assertEquals(new RestartPruning(5, 3, 0.0), EmSettings.defaults(3).pruning());
    assertEquals(RestartPruning.DEFAULT, EmSettings.defaults(3).pruning());
    assertEquals(5, new EmSettings(3, CovarianceType.DIAG, 50, 1e-4, 1e-6,
        EmSettings.Initialization.RANDOM, 4, 9).dropRestartsAfter());
    assertEquals(7, dropAfter(7).withK(5).withCovarianceType(CovarianceType.FULL)
        .dropRestartsAfter());
  }

  @Test
  void aNegativeValueIsRefusedNamingTheOption() {
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> dropAfter(-1));
    assertEquals("--drop-restarts-after (dropRestartsAfter) must be at least 0, got -1",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RestartPruning.after(-1));
  }

  @Test
  void theModelsParamsKeepItAndOlderModelsReadTheRuleTheyRan() {
    var params = MixtureFormat.params(dropAfter(0));
    assertEquals(0, params.get("dropRestartsAfter").asInt());
    assertEquals(dropAfter(0), MixtureFormat.settings(params, "model"));
    assertEquals(dropAfter(12), MixtureFormat.settings(MixtureFormat.params(dropAfter(12)), "m"));
    params.remove("dropRestartsAfter");
    assertEquals(5, MixtureFormat.settings(params, "old model").dropRestartsAfter());
    params.put("dropRestartsAfter", -2);
    assertEquals("bad model: --drop-restarts-after (dropRestartsAfter) must be at least 0, got -2",
        assertThrows(ModelFormatException.class,
            () -> MixtureFormat.settings(params, "bad model")).getMessage());
    params.put("dropRestartsAfter", "never");
    assertThrows(ModelFormatException.class, () -> MixtureFormat.settings(params, "bad model"));
  }
}
