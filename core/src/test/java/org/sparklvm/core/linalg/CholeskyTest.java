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

  @Test
  void gemmAndGramAgreeWithLoops() {
    double[] a = {1, 2, 3, 4, 5, 6};
    double[] b = {1, -1, 0.5, 2, 0, 1};
    double[] c = new double[4];
    Blas.gemm(2, 2, 3, a, b, 0.0, c);
    assertEquals(1 * 1 + 2 * 0.5 + 3 * 0, c[0], 1e-12);
    assertEquals(1 * -1 + 2 * 2 + 3 * 1, c[1], 1e-12);
    assertEquals(4 * 1 + 5 * 0.5 + 6 * 0, c[2], 1e-12);
    assertEquals(4 * -1 + 5 * 2 + 6 * 1, c[3], 1e-12);
    double[] g = new double[1 + 9];
    Blas.addGram(2, 3, a, g, 1);
    assertEquals(0.0, g[0], 0.0);
    assertEquals(1 * 2 + 4 * 5, g[1 + 1], 1e-12);
    assertEquals(3 * 3 + 6 * 6, g[1 + 8], 1e-12);
  }
}
