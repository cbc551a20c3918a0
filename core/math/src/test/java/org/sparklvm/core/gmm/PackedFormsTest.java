package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.linalg.Cholesky;

/**
 * The packed outer-product route against a direct per-row computation (a Cholesky solve per row and
 * component, the moments summed row by row): log-densities, responsibilities and moments agree.
 */
class PackedFormsTest {

  private static final int D = 12;
  private static final int K = 5;

  /** Overlapping components (as the bench's): spreads of 3 around means some 4 sqrt(2d) apart. */
  private static GaussianMixtureModel overlapping(CovarianceType type, boolean farTightFirst) {
    Random random = new Random(8);
    double[] weights = new double[K];
    double[][] means = new double[K][D];
    double[][] covs = new double[K][];
    double[] a = new double[D * D];
    for (int c = 0; c < K; c++) {
      weights[c] = (1.0 + c) / 15.0;
      for (int j = 0; j < D; j++) {
        means[c][j] = 4.0 * random.nextGaussian();
      }
      if (c == 0 || type != CovarianceType.TIED) {
        for (int i = 0; i < D; i++) {
          for (int j = 0; j < D; j++) {
            a[i * D + j] = 3.0 * ((i == j ? 1 : 0) + random.nextGaussian() / (4 * Math.sqrt(D)));
          }
        }
      }
      double[] s = new double[D * D];
      for (int i = 0; i < D; i++) {
        for (int j = 0; j < D; j++) {
          for (int p = 0; p < D; p++) {
            s[i * D + j] += a[i * D + p] * a[j * D + p];
          }
        }
      }
      covs[c] = s;
    }
    if (farTightFirst) {
      // Far from the mixture's mean and narrow: the shift formula would cancel 1e9-sized terms. Light,
      // so the mixture's mean (the reference point) stays near the others.
      means[0][0] += 1e4;
      weights[0] = 1e-4;
      weights[1] += 1.0 / 15.0 - 1e-4;
      for (int i = 0; i < D * D; i++) {
        covs[0][i] *= 1e-2;
      }
    }
    return new GaussianMixtureModel(type, weights, means, covs);
  }

  /** {@code log pi_c + log N(x | c)} by a Cholesky solve. */
  private static double direct(GaussianMixtureModel m, int c, double[] x) {
    Cholesky f = Cholesky.of(m.covariance(c), D).orElseThrow();
    double[] l = f.lower();
    double[] mu = m.mean(c);
    double[] z = new double[D];
    double maha = 0;
    for (int i = 0; i < D; i++) {
      double s = x[i] - mu[i];
      for (int p = 0; p < i; p++) {
        s -= l[i * D + p] * z[p];
      }
      z[i] = s / l[i * D + i];
      maha += z[i] * z[i];
    }
    return Math.log(m.weights()[c]) - 0.5 * (D * Math.log(2 * Math.PI) + f.logDeterminant() + maha);
  }

  private static RowBlock rows(GaussianMixtureModel m) {
    RowBlock all = TestData.concat(TestData.draw(m, 1500, 1500, 21));
    double[] w = new double[all.rows()];
    Random random = new Random(4);
    for (int i = 0; i < w.length; i++) {
      w[i] = 0.2 + random.nextDouble();
    }
    return new RowBlock(all.rows(), D, all.values(), w);
  }

  @Test
  void logDensitiesAreTheDirectOnes() {
    for (boolean farTight : new boolean[] {false, true}) {
      GaussianMixtureModel m = overlapping(CovarianceType.FULL, farTight);
      MixtureDensity density = m.density();
      assertInstanceOf(PackedFullDensity.class, density);
      assertEquals(!farTight, density.forms().eligible(0), "the guard");
      assertTrue(density.forms().eligible(1));
      RowBlock block = rows(m);
      MixtureDensity.Workspace ws = new MixtureDensity.Workspace();
      assertTrue(density.packedRoute(block, ws), "overlapping components are not pruned");
      double[] out = new double[block.rows() * K];
      density.logJoint(block, out, ws);
      for (int r = 0; r < block.rows(); r++) {
        for (int c = 0; c < K; c++) {
          double exact = direct(m, c, block.row(r));
          assertEquals(exact, out[r * K + c], 1e-10 * Math.abs(exact), "row " + r + " comp " + c);
        }
      }
    }
  }

  @Test
  void momentsAreTheDirectSums() {
    for (CovarianceType type : List.of(CovarianceType.FULL, CovarianceType.TIED)) {
      for (boolean farTight : new boolean[] {false, true}) {
        if (type == CovarianceType.TIED && farTight) {
          continue;
        }
        GaussianMixtureModel m = overlapping(type, farTight);
        assertTrue(m.density().forms() != null, type + " has packed forms");
        RowBlock all = rows(m);
        // Blocks of 700 rows: several chunks each, and a short last block.
        SufficientStatistics packed = new SufficientStatistics(m);
        for (int from = 0; from < all.rows(); from += 700) {
          int n = Math.min(700, all.rows() - from);
          double[] v = new double[n * D];
          double[] w = new double[n];
          System.arraycopy(all.values(), from * D, v, 0, n * D);
          System.arraycopy(all.weights(), from, w, 0, n);
          packed.add(new RowBlock(n, D, v, w));
        }
        assertDirect(m, all, packed, type + (farTight ? " far" : ""));
      }
    }
  }

  private static void assertDirect(GaussianMixtureModel m, RowBlock all, SufficientStatistics s,
      String what) {
    double[] mass = new double[K];
    double[][] first = new double[K][D];
    double[][] second = new double[K][D * D];
    double ll = 0;
    for (int r = 0; r < all.rows(); r++) {
      double[] x = all.row(r);
      double[] lj = new double[K];
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < K; c++) {
        lj[c] = direct(m, c, x);
        max = Math.max(max, lj[c]);
      }
      double sum = 0;
      for (int c = 0; c < K; c++) {
        sum += Math.exp(lj[c] - max);
      }
      double w = all.weight(r);
      ll += w * (max + Math.log(sum));
      for (int c = 0; c < K; c++) {
        double resp = w * Math.exp(lj[c] - max) / sum;
        double[] mu = m.mean(c);
        mass[c] += resp;
        for (int i = 0; i < D; i++) {
          first[c][i] += resp * (x[i] - mu[i]);
          for (int j = 0; j < D; j++) {
            second[c][i * D + j] += resp * (x[i] - mu[i]) * (x[j] - mu[j]);
          }
        }
      }
    }
    assertEquals(ll, s.logLikelihood(), 1e-11 * Math.abs(ll), what);
    for (int c = 0; c < K; c++) {
      assertEquals(mass[c], s.mass(c), 1e-10 * all.rows(), what + " mass");
      double[] f = s.firstMoment(c);
      double[] q = s.secondMoment(c);
      for (int i = 0; i < D; i++) {
        // Relative to the component's spread: entries are of size mass * sigma.
        double scale = Math.sqrt(m.covariance(c)[i * D + i]) * all.rows();
        assertEquals(first[c][i], f[i], 1e-10 * scale, what + " first moment");
        for (int j = 0; j < D; j++) {
          double sij = Math.sqrt(m.covariance(c)[i * D + i] * m.covariance(c)[j * D + j]);
          assertEquals(second[c][i * D + j], q[i * D + j], 1e-10 * sij * all.rows(),
              what + " second moment " + c + " (" + i + ", " + j + ")");
        }
      }
    }
    assertFalse(Double.isNaN(s.meanLogLikelihood()));
  }
}
