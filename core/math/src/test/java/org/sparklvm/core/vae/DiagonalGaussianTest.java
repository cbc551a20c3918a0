package org.sparklvm.core.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DiagonalGaussianTest {

  @Test
  void analyticKlMatchesMonteCarlo() {
    DiagonalGaussian q = new DiagonalGaussian(new double[] {0.7, -1.2, 0.0},
        new double[] {-0.5, 0.8, -2.0});
    DiagonalGaussian p = DiagonalGaussian.standard(3);
    Random random = new Random(1);
    int n = 400_000;
    double sum = 0;
    double sumSq = 0;
    double[] z = new double[3];
    for (int i = 0; i < n; i++) {
      q.sample(random, z);
      double v = q.logDensity(z) - p.logDensity(z);
      sum += v;
      sumSq += v * v;
    }
    double mean = sum / n;
    double se = Math.sqrt((sumSq / n - mean * mean) / n);
    assertEquals(mean, q.klToStandardNormal(), 4 * se);
    // By hand: 0.5 * sum(exp(lv) + mu^2 - 1 - lv).
    double byHand = 0.5 * ((Math.exp(-0.5) + 0.49 - 1 + 0.5) + (Math.exp(0.8) + 1.44 - 1 - 0.8)
        + (Math.exp(-2.0) - 1 + 2.0));
    assertEquals(byHand, q.klToStandardNormal(), 1e-12);
  }

  @Test
  void logDensityIsTheNormalDensity() {
    DiagonalGaussian g = new DiagonalGaussian(new double[] {1.0}, new double[] {Math.log(4.0)});
    // N(3 | 1, 4): exp(-(2^2)/(2*4)) / sqrt(2 pi 4).
    assertEquals(-0.5 - 0.5 * Math.log(2 * Math.PI * 4), g.logDensity(new double[] {3.0}), 1e-12);
    assertEquals(0.0, DiagonalGaussian.standard(4).klToStandardNormal(), 0.0);
  }
}
