package org.sparklvm.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class QuantileTableTest {

  @Test
  void empiricalQuantilesMatchNumpy() {
    // numpy 1.24.2: np.quantile([3, 1, 4, 1, 5, 9, 2, 6], [0, 0.1, 0.25, 0.5, 0.9, 1])
    //   -> [1.0, 1.0, 1.75, 3.5, 6.9, 9.0]
    double[] q = QuantileTable.of(new double[] {3, 1, 4, 1, 5, 9, 2, 6},
        new double[] {0, 0.1, 0.25, 0.5, 0.9, 1});
    assertArrayEquals(new double[] {1.0, 1.0, 1.75, 3.5, 6.9, 9.0}, q, 1e-12);
  }

  @Test
  void nonFiniteValuesAreLeftOut() {
    double[] q = QuantileTable.of(new double[] {Double.NEGATIVE_INFINITY, 3, Double.NaN, 1, 2},
        new double[] {0, 0.5, 1});
    assertArrayEquals(new double[] {1, 2, 3}, q, 1e-12);
    assertThrows(IllegalArgumentException.class,
        () -> QuantileTable.of(new double[] {Double.NaN}, new double[] {0.5}));
  }

  @Test
  void storedTableIsReadBackAndInterpolated() {
    ObjectNode summary = ModelMetadata.JSON.createObjectNode();
    QuantileTable.write(summary, "scores", new double[] {0, 0.5, 1}, new double[] {-10, -4, 0});
    assertEquals(-7.0, QuantileTable.at(summary, "scores", 0.25, "model"), 1e-12);
    assertEquals(-4.0, QuantileTable.at(summary, "scores", 0.5, "model"), 1e-12);
    assertThrows(IllegalArgumentException.class,
        () -> QuantileTable.at(summary, "scores", 1.0, "model"));
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> QuantileTable.at(summary, "other", 0.5, "model"));
    assertEquals("model holds no training quantiles ('other')", e.getMessage());
  }
}
