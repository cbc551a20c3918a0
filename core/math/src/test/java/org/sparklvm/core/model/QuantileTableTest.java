package org.sparklvm.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class QuantileTableTest {

  @Test
  void empiricalQuantilesMatchNumpy() {
    // numpy 1.24.2: np.quantile([3, 1, 4, 1, 5, 9, 2, 6], [0, 0.1, 0.25, 0.5, 0.9, 1])
    //   -> [1.0, 1.0, 1.75, 3.5, 6.9, 9.0]
    double[] q = QuantileTable.quantiles(new double[] {3, 1, 4, 1, 5, 9, 2, 6},
        new double[] {0, 0.1, 0.25, 0.5, 0.9, 1});
    assertArrayEquals(new double[] {1.0, 1.0, 1.75, 3.5, 6.9, 9.0}, q, 1e-12);
  }

  @Test
  void nonFiniteValuesAreLeftOut() {
    double[] q = QuantileTable.quantiles(new double[] {Double.NEGATIVE_INFINITY, 3, Double.NaN, 1, 2},
        new double[] {0, 0.5, 1});
    assertArrayEquals(new double[] {1, 2, 3}, q, 1e-12);
    assertThrows(IllegalArgumentException.class,
        () -> QuantileTable.quantiles(new double[] {Double.NaN}, new double[] {0.5}));
  }

  @Test
  void thresholdsInterpolateBetweenStoredQuantiles() {
    QuantileTable table =
        new QuantileTable(new double[] {0, 0.5, 1}, new double[] {-10, -4, 0}, 3, "training");
    assertEquals(-7.0, table.threshold(0.25), 1e-12);
    assertEquals(-4.0, table.threshold(0.5), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> table.threshold(1.0));
    assertThrows(ModelFormatException.class,
        () -> new QuantileTable(new double[] {0, 1}, new double[] {-1}, 1, null));
  }
}
