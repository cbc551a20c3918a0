package org.sparklvm.core.vae;

import org.sparklvm.core.linalg.Cholesky;

/**
 * Probabilistic PCA (Tipping and Bishop 1999): {@code p(z) = N(0, I)}, {@code p(x|z) = N(W z + b,
 * sigma^2 I)}, so {@code p(x) = N(b, W W^T + sigma^2 I)} exactly: the linear-Gaussian model the VAE
 * estimators are checked against. Its encoder is the exact posterior's mean, {@code M^-1 W^T (x - b)}
 * with {@code M = W^T W + sigma^2 I}, and the diagonal of its covariance {@code sigma^2 M^-1}; when the
 * columns of W are orthogonal M is diagonal and that encoder is the exact posterior.
 */
public final class ProbabilisticPca implements LatentGaussianModel {

  private static final double LOG_2PI = Math.log(2.0 * Math.PI);

  private final int d;
  private final int l;
  private final double[] w;
  private final double[] b;
  private final double noiseVariance;
  private final Cholesky marginal;
  private final double[] posteriorMap;
  private final double[] posteriorLogVariance;

  /**
   * @param w loadings, row-major {@code d x l}
   * @param b mean of x, length {@code d}
   * @param noiseVariance {@code sigma^2 > 0}
   * @throws IllegalArgumentException when the shapes disagree or {@code sigma^2 <= 0}
   */
  public ProbabilisticPca(double[] w, double[] b, int latentDim, double noiseVariance) {
    this.d = b.length;
    this.l = latentDim;
    if (w.length != d * l) {
      throw new IllegalArgumentException(
          "W has " + w.length + " entries, expected " + d + " x " + l);
    }
    if (!(noiseVariance > 0.0)) {
      throw new IllegalArgumentException("noise variance must be positive, got " + noiseVariance);
    }
    this.w = w.clone();
    this.b = b.clone();
    this.noiseVariance = noiseVariance;
    double[] c = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double s = i == j ? noiseVariance : 0.0;
        for (int p = 0; p < l; p++) {
          s += w[i * l + p] * w[j * l + p];
        }
        c[i * d + j] = s;
      }
    }
    this.marginal = Cholesky.of(c, d).orElseThrow();
    double[] m = new double[l * l];
    for (int p = 0; p < l; p++) {
      for (int q = 0; q < l; q++) {
        double s = p == q ? noiseVariance : 0.0;
        for (int i = 0; i < d; i++) {
          s += w[i * l + p] * w[i * l + q];
        }
        m[p * l + q] = s;
      }
    }
    double[] mInverse = inverse(Cholesky.of(m, l).orElseThrow(), l);
    this.posteriorMap = new double[l * d];
    this.posteriorLogVariance = new double[l];
    for (int p = 0; p < l; p++) {
      for (int i = 0; i < d; i++) {
        double s = 0.0;
        for (int q = 0; q < l; q++) {
          s += mInverse[p * l + q] * w[i * l + q];
        }
        posteriorMap[p * d + i] = s;
      }
      posteriorLogVariance[p] = Math.log(noiseVariance * mInverse[p * l + p]);
    }
  }

  private static double[] inverse(Cholesky f, int n) {
    double[] li = f.inverseLower();
    double[] inv = new double[n * n];
    // (L L^T)^-1 = L^-T L^-1.
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0.0;
        for (int p = Math.max(i, j); p < n; p++) {
          s += li[p * n + i] * li[p * n + j];
        }
        inv[i * n + j] = s;
      }
    }
    return inv;
  }

  /** The exact {@code log p(x) = log N(x | b, W W^T + sigma^2 I)}. */
  public double logMarginal(double[] x) {
    double[] li = marginal.inverseLower();
    double maha = 0.0;
    for (int i = 0; i < d; i++) {
      double s = 0.0;
      for (int j = 0; j <= i; j++) {
        s += li[i * d + j] * (x[j] - b[j]);
      }
      maha += s * s;
    }
    return -0.5 * (d * LOG_2PI + marginal.logDeterminant() + maha);
  }

  @Override
  public int latentDim() {
    return l;
  }

  @Override
  public DiagonalGaussian encode(double[] x) {
    double[] mu = new double[l];
    for (int p = 0; p < l; p++) {
      double s = 0.0;
      for (int i = 0; i < d; i++) {
        s += posteriorMap[p * d + i] * (x[i] - b[i]);
      }
      mu[p] = s;
    }
    return new DiagonalGaussian(mu, posteriorLogVariance.clone());
  }

  @Override
  public void logLikelihood(double[] x, double[] z, int count, double[] out) {
    for (int s = 0; s < count; s++) {
      double sq = 0.0;
      for (int i = 0; i < d; i++) {
        double mean = b[i];
        for (int p = 0; p < l; p++) {
          mean += w[i * l + p] * z[s * l + p];
        }
        double t = x[i] - mean;
        sq += t * t;
      }
      out[s] = -0.5 * (d * (LOG_2PI + Math.log(noiseVariance)) + sq / noiseVariance);
    }
  }

  /** Draws {@code x = W z + b + sigma eps}. */
  public double[] sample(java.util.Random random) {
    double[] z = new double[l];
    for (int p = 0; p < l; p++) {
      z[p] = random.nextGaussian();
    }
    double[] x = new double[d];
    double sigma = Math.sqrt(noiseVariance);
    for (int i = 0; i < d; i++) {
      double s = b[i] + sigma * random.nextGaussian();
      for (int p = 0; p < l; p++) {
        s += w[i * l + p] * z[p];
      }
      x[i] = s;
    }
    return x;
  }
}
