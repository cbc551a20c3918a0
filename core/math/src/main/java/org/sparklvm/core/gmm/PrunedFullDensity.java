package org.sparklvm.core.gmm;

import java.util.Arrays;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.linalg.Blas;
import org.sparklvm.core.linalg.Cholesky;

/**
 * Log-densities under full covariances that skip the pairs of row and component that cannot matter.
 *
 * <p>For every row and component one GEMM of the rows with the means (and each component's dominant
 * directions) gives {@code |x - mu_k|^2}, and with a proven upper bound on {@code Sigma_k} ({@link
 * SpectralBound}) an upper bound on {@code log pi_k + log N(x | k)}. The component with the highest
 * bound is evaluated exactly first; any other whose bound falls more than {@value MixtureDensity#PRUNE} nats below
 * that exact value has a responsibility below {@code e^-40 = 4e-18}, under the rounding of the sum it
 * would join, and is left at {@code -inf}. The rest are evaluated exactly, rows grouped by component so
 * each group is one GEMM.
 */
final class PrunedFullDensity extends FullDensity {

  private final GaussianMixtureModel model;
  /** Built on the first block that is pruned: a packed-route mixture may never need them. */
  private volatile Bounds bounds;

  PrunedFullDensity(GaussianMixtureModel model, Cholesky[] factors) {
    super(model, factors);
    this.model = model;
  }

  private Bounds bounds() {
    Bounds b = bounds;
    if (b == null) {
      b = new Bounds(model, k, d, means);
      bounds = b;
    }
    return b;
  }

  /**
   * The columns of one GEMM giving, for every row, {@code x . mu_k} and {@code x . v} for each bounding
   * direction {@code v} of each component ({@code d x columns}); where component {@code k}'s columns
   * start and how many directions it has; {@code v . mu_k} per direction, its coefficient, and {@code
   * 1/b_k} (see {@link SpectralBound}); squared norms of the means and their roots.
   */
  private static final class Bounds {
    final double[] boundColumnsT;
    final int columns;
    final int[] firstColumn;
    final int[] directionCount;
    final double[] directionOffset;
    final double[] directionCoefficient;
    final double[] inverseB;
    final double[] meanNorm;
    final double[] meanRoot;

    Bounds(GaussianMixtureModel model, int k, int d, double[] means) {
      SpectralBound[] bounds = new SpectralBound[k];
      int cols = 0;
      firstColumn = new int[k];
      directionCount = new int[k];
      for (int c = 0; c < k; c++) {
        bounds[c] = SpectralBound.of(model.covariance(c), d);
        firstColumn[c] = cols;
        directionCount[c] = bounds[c].directions().length;
        cols += 1 + directionCount[c];
      }
      columns = cols;
      boundColumnsT = new double[d * cols];
      directionOffset = new double[cols];
      directionCoefficient = new double[cols];
      inverseB = new double[k];
      meanNorm = new double[k];
      meanRoot = new double[k];
      for (int c = 0; c < k; c++) {
        int col = firstColumn[c];
        double norm = 0.0;
        for (int j = 0; j < d; j++) {
          double m = means[c * d + j];
          boundColumnsT[j * cols + col] = m;
          norm += m * m;
        }
        meanNorm[c] = norm;
        meanRoot[c] = Math.sqrt(norm);
        inverseB[c] = bounds[c].inverseB();
        for (int i = 0; i < directionCount[c]; i++) {
          double[] v = bounds[c].directions()[i];
          double offset = 0.0;
          for (int j = 0; j < d; j++) {
            boundColumnsT[j * cols + col + 1 + i] = v[j];
            offset += v[j] * means[c * d + j];
          }
          directionOffset[col + 1 + i] = offset;
          directionCoefficient[col + 1 + i] = bounds[c].coefficients()[i];
        }
      }
    }
  }

  @Override
  void logJoint(RowBlock block, double[] out, Workspace ws) {
    int n = block.rows();
    double[] x = block.values();
    Bounds b = bounds();
    int columns = b.columns;
    int[] firstColumn = b.firstColumn;
    int[] directionCount = b.directionCount;
    double[] directionOffset = b.directionOffset;
    double[] directionCoefficient = b.directionCoefficient;
    double[] inverseB = b.inverseB;
    double[] meanNorm = b.meanNorm;
    double[] meanRoot = b.meanRoot;
    if (ws.bounds.length < n * k) {
      ws.bounds = new double[n * k];
    }
    if (ws.best.length < n) {
      ws.best = new int[n];
    }
    double[] upper = ws.bounds;
    int[] best = ws.best;
    if (ws.products.length < n * columns) {
      ws.products = new double[n * columns];
    }
    double[] products = ws.products;
    Blas.gemm(n, columns, d, x, b.boundColumnsT, 0.0, products);
    ws.flops += 2L * n * columns * d + 12L * n * columns;
    // Dot products lose up to (d + 4) eps (|x| + |mu|) to rounding, squared norms its square; the
    // slack keeps every bound a bound.
    double eps = (d + 4) * 2.3e-16;
    for (int r = 0; r < n; r++) {
      double norm = 0.0;
      int xo = r * d;
      for (int j = 0; j < d; j++) {
        norm += x[xo + j] * x[xo + j];
      }
      double rootNorm = Math.sqrt(norm);
      int po = r * columns;
      int arg = 0;
      for (int c = 0; c < k; c++) {
        int col = firstColumn[c];
        double scale = rootNorm + meanRoot[c];
        double dist = norm - 2.0 * products[po + col] + meanNorm[c] - eps * scale * scale;
        double maha = Math.max(0.0, dist) * inverseB[c];
        for (int i = 1; i <= directionCount[c]; i++) {
          double t = Math.abs(products[po + col + i] - directionOffset[col + i]) + eps * scale;
          maha += directionCoefficient[col + i] * t * t;
        }
        double bound = logNormalizer[c] - 0.5 * Math.max(0.0, maha);
        upper[r * k + c] = bound;
        if (bound > upper[r * k + arg]) {
          arg = c;
        }
      }
      best[r] = arg;
    }
    Arrays.fill(out, 0, n * k, Double.NEGATIVE_INFINITY);
    int[] rows = ws.rows(n);
    for (int c = 0; c < k; c++) {
      int m = 0;
      for (int r = 0; r < n; r++) {
        if (best[r] == c) {
          rows[m++] = r;
        }
      }
      exact(block, c, rows, m, out, ws);
    }
    for (int c = 0; c < k; c++) {
      int m = 0;
      for (int r = 0; r < n; r++) {
        if (best[r] != c && upper[r * k + c] >= out[r * k + best[r]] - PRUNE) {
          rows[m++] = r;
        }
      }
      exact(block, c, rows, m, out, ws);
    }
  }
}
