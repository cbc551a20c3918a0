package org.sparklvm.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CholeskyTest {

  private static final double[] A = {4, 2, 0.4, 2, 5, 1, 0.4, 1, 3};

  @Test
  void factorReproducesTheMatrix() {
    Cholesky c = Cholesky.of(A, 3).orElseThrow();
    double[] l = c.lower();
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double s = 0;
        for (int p = 0; p < 3; p++) {
          s += l[i * 3 + p] * l[j * 3 + p];
        }
        assertEquals(A[i * 3 + j], s, 1e-12);
      }
    }
    assertEquals(2.0, l[0], 1e-15);
    assertEquals(0.0, l[1], 0.0);
  }

  @Test
  void logDeterminantMatchesTheRuleOfSarrus() {
    double det = A[0] * (A[4] * A[8] - A[5] * A[7]) - A[1] * (A[3] * A[8] - A[5] * A[6])
        + A[2] * (A[3] * A[7] - A[4] * A[6]);
    assertEquals(Math.log(det), Cholesky.of(A, 3).orElseThrow().logDeterminant(), 1e-12);
  }

  @Test
  void inverseLowerTimesLowerIsTheIdentity() {
    Cholesky c = Cholesky.of(A, 3).orElseThrow();
    double[] l = c.lower();
    double[] inv = c.inverseLower();
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double s = 0;
        for (int p = 0; p < 3; p++) {
          s += inv[i * 3 + p] * l[p * 3 + j];
        }
        assertEquals(i == j ? 1.0 : 0.0, s, 1e-12);
      }
    }
  }

  @Test
  void refusesMatricesThatAreNotPositiveDefinite() {
    assertTrue(Cholesky.of(new double[] {1, 2, 2, 1}, 2).isEmpty());
    assertTrue(Cholesky.of(new double[] {0, 0, 0, 1}, 2).isEmpty());
    assertTrue(Cholesky.of(new double[] {Double.NaN, 0, 0, 1}, 2).isEmpty());
  }
}
