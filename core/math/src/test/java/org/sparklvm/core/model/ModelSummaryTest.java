package org.sparklvm.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSummaryTest {

  private static ObjectNode json(String text) throws Exception {
    return (ObjectNode) ModelMetadata.JSON.readTree(text);
  }

  @Test
  void mixtureSummaryReadsTheOldNameOfItsQuantiles() throws Exception {
    // The summary of golden/gmm-v1 as spark-lvm 0.1.0 wrote it (quantiles shortened).
    MixtureSummary s = ModelSummary.read(json("{\"iterations\": 7, \"converged\": true,"
        + " \"meanLogLikelihood\": -0.9, \"logLikelihoodHistory\": [-3.0, -0.9], \"bic\": 400.5,"
        + " \"aic\": 300.25, \"rows\": 150, \"totalWeight\": 150.0, \"freeParameters\": 44,"
        + " \"reinitializedComponents\": 0, \"logDensityQuantiles\": {\"probabilities\": [0, 0.5,"
        + " 1], \"values\": [-8, -2, 0]}}"), MixtureSummary.class, "model");
    assertEquals(7, s.iterations());
    assertEquals(List.of(-3.0, -0.9), s.logLikelihoodHistory());
    assertEquals(400.5, s.bic());
    assertEquals(-5.0, s.anomalyThreshold(0.25, "model"), 1e-12);
    assertNull(s.selection());
    // Written back under the one name both families use.
    ObjectNode written = s.toJson();
    assertEquals(-2.0, written.get("logLikelihoodQuantiles").get("values").get(1).asDouble());
    assertEquals(false, written.has("logDensityQuantiles"));
    assertEquals(s.bic(), ModelSummary.read(written, MixtureSummary.class, "m").bic());
    // An EM fit's summary has none of a variational fit's fields, in memory or written.
    assertNull(s.lowerBound());
    assertNull(s.effectiveComponents());
    assertEquals(false, written.has("lowerBound") || written.has("lowerBoundHistory")
        || written.has("effectiveComponents") || written.has("effectiveThreshold"));

    MixtureSummary vb = s.withVariational(List.of(-2.5, -2.25), 3, 0.01);
    MixtureSummary back = ModelSummary.read(vb.toJson(), MixtureSummary.class, "m");
    assertEquals(-2.25, back.lowerBound());
    assertEquals(List.of(-2.5, -2.25), back.lowerBoundHistory());
    assertEquals(3, back.effectiveComponents());
    assertEquals(0.01, back.effectiveThreshold());
    assertEquals(s.bic(), back.bic());
  }

  @Test
  void vaeSummaryRoundTripsAndKnowsItsReferenceRows() {
    VaeSummary s = VaeSummary.of(2, List.of(-12.0, -11.0), List.of(-12.5, -11.5),
        new double[] {-10, -11, -12, -13}, true, 50, 400);
    assertEquals(-11.5, s.validationElbo());
    assertEquals(-11.5, s.validationLogLikelihood(), 1e-12);
    assertEquals("validation", s.logLikelihoodQuantiles().rowsFrom());
    assertEquals(4, s.logLikelihoodQuantiles().rows());
    // numpy: np.quantile([-10, -11, -12, -13], 0.5) = -11.5
    assertEquals(-11.5, s.anomalyThreshold(0.5, "model"), 1e-12);
    VaeSummary back = ModelSummary.read(s.toJson(), VaeSummary.class, "model");
    assertEquals(s.trainElboHistory(), back.trainElboHistory());
    assertEquals(-11.5, back.anomalyThreshold(0.5, "model"), 1e-12);
  }

  @Test
  void noQuantilesIsAClearRefusal() throws Exception {
    VaeSummary s = ModelSummary.read(json("{\"epochs\": 1}"), VaeSummary.class, "model");
    ModelFormatException e =
        assertThrows(ModelFormatException.class, () -> s.anomalyThreshold(0.1, "model m"));
    assertEquals("model m holds no quantiles of log p(x) on its reference rows"
        + " (logLikelihoodQuantiles); refit it to flag anomalies", e.getMessage());
    assertThrows(ModelFormatException.class, () -> ModelSummary.read(
        json("{\"epochs\": \"many\"}"), VaeSummary.class, "model"));
  }
}
