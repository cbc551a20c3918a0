package org.sparklvm.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PackedOuterProductsTest {

  /** A packed centred row dotted with a packed form is the quadratic form, by explicit loops. */
  @Test
  void packedProductsDotPackedFormIsTheQuadraticForm() {
    Random random = new Random(3);
    int d = 5;
    int n = 4;
    double[] x = new double[(n + 2) * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextGaussian();
    }
    double[] centre = {0.5, -1, 2, 0, 3};
    double[] a = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        a[i * d + j] = random.nextGaussian();
        a[j * d + i] = a[i * d + j];
      }
    }
    int width = PackedOuterProducts.size(d) + d;
    assertEquals(15, PackedOuterProducts.size(d));
    double[] u = new double[n * width];
    PackedOuterProducts.centredRows(x, 2, n, d, centre, u);
    double[] form = new double[PackedOuterProducts.size(d)];
    PackedOuterProducts.packForm(a, d, form, 0, 1);
    for (int r = 0; r < n; r++) {
      double expected = 0;
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          expected += (x[(r + 2) * d + i] - centre[i]) * a[i * d + j] * (x[(r + 2) * d + j] - centre[j]);
        }
        assertEquals(x[(r + 2) * d + i] - centre[i], u[r * width + form.length + i], 0.0);
      }
      double got = 0;
      for (int p = 0; p < form.length; p++) {
        got += u[r * width + p] * form[p];
      }
      assertEquals(expected, got, 1e-12);
    }
  }
}
