package org.sparklvm.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RowBlockTest {

  @Test
  void concatKeepsOrderAndWeights() {
    RowBlock a = new RowBlock(2, 2, new double[] {1, 2, 3, 4}, new double[] {0.5, 2});
    RowBlock b = new RowBlock(1, 2, new double[] {5, 6}, null);
    RowBlock all = RowBlock.concat(List.of(a, b), 2);
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, all.values());
    assertArrayEquals(new double[] {0.5, 2, 1}, all.weights());
    assertThrows(IllegalArgumentException.class,
        () -> RowBlock.concat(List.of(a, new RowBlock(1, 3, new double[3], null)), 2));
  }

  @Test
  void subsampleDrawsDistinctRowsUniformly() {
    int n = 100;
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = i;
    }
    RowBlock rows = new RowBlock(n, 1, v, null);
    int[] hits = new int[n];
    for (int trial = 0; trial < 2000; trial++) {
      RowBlock s = rows.subsample(10, new Random(trial));
      Set<Double> seen = new HashSet<>();
      for (double x : s.values()) {
        seen.add(x);
        hits[(int) x]++;
      }
      assertEquals(10, seen.size());
    }
    // Each row is drawn with probability 0.1: 200 expected hits, standard deviation about 13.
    for (int i = 0; i < n; i++) {
      assertEquals(200, hits[i], 70, "row " + i);
    }
    assertArrayEquals(rows.subsample(10, new Random(3)).values(),
        rows.subsample(10, new Random(3)).values());
  }

  @Test
  void bernoulliSampleKeepsRowsInOrderWithTheirWeights() {
    int n = 10_000;
    double[] v = new double[2 * n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      v[2 * i] = i;
      v[2 * i + 1] = -i;
      w[i] = i % 7;
    }
    RowBlock s = new RowBlock(n, 2, v, w).bernoulliSample(0.3, new Random(5));
    // Binomial(10,000, 0.3): mean 3,000, standard deviation about 46.
    assertEquals(3000, s.rows(), 5 * 46);
    double previous = -1;
    for (int r = 0; r < s.rows(); r++) {
      double i = s.values()[2 * r];
      assertEquals(-i, s.values()[2 * r + 1]);
      assertEquals(i % 7, s.weight(r));
      assertEquals(true, i > previous, "rows stay in order");
      previous = i;
    }
  }
}
