package org.sparklvm.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PrincipalAxesTest {

  /** Rows spread along two planted orthonormal directions (variances 9 and 4) plus small noise. */
  @Test
  void findsThePlantedDirectionsAndTheirVariances() {
    int d = 5;
    double[] u = {0.6, 0.8, 0, 0, 0};
    double[] v = {0, 0, 0.6, 0, -0.8};
    double[] center = {1, -2, 3, 0, 5};
    int n = 20_000;
    double[] rows = new double[n * d];
    Random random = new Random(4);
    for (int i = 0; i < n; i++) {
      double a = 3 * random.nextGaussian();
      double b = 2 * random.nextGaussian();
      for (int j = 0; j < d; j++) {
        rows[i * d + j] = center[j] + a * u[j] + b * v[j] + 0.1 * random.nextGaussian();
      }
    }
    PrincipalAxes p = PrincipalAxes.of(rows, n, d, 2);
    assertTrue(Math.abs(dot(p.axes()[0], u)) > 0.999, "first axis");
    assertTrue(Math.abs(dot(p.axes()[1], v)) > 0.999, "second axis");
    // Sample variances of 20,000 draws: standard errors about 1% of 9 and 4.
    assertEquals(9.01, p.variances()[0], 0.3);
    assertEquals(4.01, p.variances()[1], 0.15);
    assertEquals(9 + 4 + 5 * 0.01, p.totalVariance(), 0.4);
    assertArrayEquals(new double[] {0, 0}, p.project(p.center()), 1e-12);
    double[] identity = new double[d * d];
    for (int j = 0; j < d; j++) {
      identity[j * d + j] = 1;
    }
    assertArrayEquals(new double[] {1, 0, 0, 1}, p.projectCovariance(identity), 1e-9);
  }

  /** Data spread along one direction only: the second axis is orthogonal to it and holds nothing. */
  @Test
  void rankDeficientDataGivesOrthonormalAxes() {
    int d = 3;
    int n = 50;
    double[] rows = new double[n * d];
    Random random = new Random(2);
    for (int i = 0; i < n; i++) {
      double a = random.nextGaussian();
      rows[i * d] = 2 + a;
      rows[i * d + 1] = 5;
      rows[i * d + 2] = -1 + a;
    }
    PrincipalAxes p = PrincipalAxes.of(rows, n, d, 2);
    double[] u = {Math.sqrt(0.5), 0, Math.sqrt(0.5)};
    assertEquals(1.0, Math.abs(dot(p.axes()[0], u)), 1e-9);
    assertEquals(0.0, dot(p.axes()[0], p.axes()[1]), 1e-9);
    assertEquals(1.0, dot(p.axes()[1], p.axes()[1]), 1e-9);
    assertEquals(0.0, p.variances()[1], 1e-9);
    assertEquals(1.0, p.explained(0), 1e-9);
    // Two rows in five dimensions: one direction of spread, the second axis again orthogonal.
    PrincipalAxes two = PrincipalAxes.of(new double[] {0, 1, 2, 3, 4, 1, 1, 1, 1, 1}, 2, 5, 2);
    assertEquals(0.0, dot(two.axes()[0], two.axes()[1]), 1e-9);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
