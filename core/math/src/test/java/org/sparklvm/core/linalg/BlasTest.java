package org.sparklvm.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BlasTest {

  @Test
  void productAgreesWithLoops() {
    double[] a = {1, 2, 3, 4, 5, 6};
    double[] b = {1, -1, 0.5, 2, 0, 1};
    double[] c = new double[4];
    Blas.gemm(2, 2, 3, a, b, 0.0, c);
    assertEquals(1 * 1 + 2 * 0.5 + 3 * 0, c[0], 1e-12);
    assertEquals(1 * -1 + 2 * 2 + 3 * 1, c[1], 1e-12);
    assertEquals(4 * 1 + 5 * 0.5 + 6 * 0, c[2], 1e-12);
    assertEquals(4 * -1 + 5 * 2 + 6 * 1, c[3], 1e-12);
  }

  @Test
  void gramAddsIntoAnOffset() {
    double[] a = {1, 4, 2, 5, 3, 6};
    double[] c = {7, 1, 1, 1, 1};
    Blas.addGram(3, 2, a, c, 1);
    assertEquals(7.0, c[0], 0.0);
    assertEquals(1 + 1 + 4 + 9, c[1], 1e-12);
    assertEquals(1 + 4 + 10 + 18, c[2], 1e-12);
    assertEquals(1 + 4 + 10 + 18, c[3], 1e-12);
    assertEquals(1 + 16 + 25 + 36, c[4], 1e-12);
  }

  @Test
  void transposedProductSumsOverRows() {
    // A is 3 x 2, B is 3 x 2: C = A^T B (2 x 2), added to beta C.
    double[] a = {1, 2, 3, 4, 5, 6};
    double[] b = {1, 0, 0, 1, 2, -1};
    double[] c = {10, 10, 10, 10};
    Blas.gemmTransposedA(2, 2, 3, a, b, 1.0, c);
    assertEquals(10 + 1 * 1 + 3 * 0 + 5 * 2, c[0], 1e-12);
    assertEquals(10 + 1 * 0 + 3 * 1 + 5 * -1, c[1], 1e-12);
    assertEquals(10 + 2 * 1 + 4 * 0 + 6 * 2, c[2], 1e-12);
    assertEquals(10 + 2 * 0 + 4 * 1 + 6 * -1, c[3], 1e-12);
  }
}
