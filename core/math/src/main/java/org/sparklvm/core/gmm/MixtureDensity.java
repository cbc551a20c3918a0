package org.sparklvm.core.gmm;

import java.util.Arrays;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.linalg.Blas;
import org.sparklvm.core.linalg.Cholesky;

/**
 * The per-component log-densities {@code log pi_k + log N(x | mu_k, Sigma_k)} of a mixture, evaluated on
 * a block of rows at once.
 *
 * <p>With {@code Sigma_k = L_k L_k^T} and {@code P_k = L_k^{-1}}, the Mahalanobis distance is {@code
 * |P_k (x - mu_k)|^2}: a GEMM of the centred rows with {@code P_k^T}. Tied covariances share one {@code
 * P}, so a block is one GEMM; diagonal and spherical ones are element-wise scalings.
 *
 * <p>Full covariances with three or more components skip the pairs that cannot matter. For every row
 * and component one GEMM of the rows with the means (and each component's dominant directions) gives
 * {@code |x - mu_k|^2}, and with a proven upper bound on {@code Sigma_k} ({@link SpectralBound}) an
 * upper bound on {@code log pi_k + log N(x | k)}. The
 * component with the highest bound is evaluated exactly first; any other whose bound falls more than
 * {@value #PRUNE} nats below that exact value has a responsibility below {@code e^-40 = 4e-18}, under
 * the rounding of the sum it would join, and is left at {@code -inf}. The rest are evaluated exactly,
 * rows grouped by component so each group is one GEMM.
 */
final class MixtureDensity {

  private static final double LOG_2PI = Math.log(2.0 * Math.PI);
  /** Pairs whose log-density is provably this far below the row's best are skipped. */
  static final double PRUNE = 40.0;

  private final CovarianceType type;
  private final int k;
  private final int d;
  /** {@code log pi_k - (d log 2 pi + log det Sigma_k) / 2}. */
  private final double[] logNormalizer;
  /** Row-major means, {@code k x d}. */
  private final double[] means;
  /** Full and tied: {@code P_k^T} (tied: one), row-major {@code d x d}. */
  private final double[][] inverseFactorT;
  /** Diag and spherical: {@code 1 / sigma_kj}, {@code k x d}. */
  private final double[] inverseScales;
  /**
   * Full with pruning: the columns of one GEMM giving, for every row, {@code x . mu_k} and {@code x .
   * v} for each bounding direction {@code v} of each component ({@code d x columns}); where component
   * {@code k}'s columns start and how many directions it has; {@code v . mu_k} per direction, its
   * coefficient, and {@code 1/b_k} (see {@link SpectralBound}); squared norms of the means.
   */
  private final double[] boundColumnsT;
  private final int columns;
  private final int[] firstColumn;
  private final int[] directionCount;
  private final double[] directionOffset;
  private final double[] directionCoefficient;
  private final double[] inverseB;
  private final double[] meanNorm;
  private final double[] meanRoot;

  MixtureDensity(GaussianMixtureModel model, Cholesky[] factors) {
    this.type = model.covarianceType();
    this.k = model.k();
    this.d = model.dim();
    this.logNormalizer = new double[k];
    this.means = new double[k * d];
    double[] weights = model.weights();
    for (int c = 0; c < k; c++) {
      logNormalizer[c] =
          Math.log(weights[c]) - 0.5 * (d * LOG_2PI + factors[c].logDeterminant());
      System.arraycopy(model.mean(c), 0, means, c * d, d);
    }
    if (type == CovarianceType.FULL || type == CovarianceType.TIED) {
      int distinct = type == CovarianceType.FULL ? k : 1;
      inverseFactorT = new double[distinct][];
      for (int c = 0; c < distinct; c++) {
        inverseFactorT[c] = transpose(factors[c].inverseLower(), d);
      }
      inverseScales = null;
    } else {
      inverseFactorT = null;
      inverseScales = new double[k * d];
      for (int c = 0; c < k; c++) {
        double[] l = factors[c].lower();
        for (int j = 0; j < d; j++) {
          inverseScales[c * d + j] = 1.0 / l[j * d + j];
        }
      }
    }
    if (type == CovarianceType.FULL && k >= 3) {
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
    } else {
      boundColumnsT = null;
      columns = 0;
      firstColumn = null;
      directionCount = null;
      directionOffset = null;
      directionCoefficient = null;
      inverseB = null;
      meanNorm = null;
      meanRoot = null;
    }
  }

  /** Reusable buffers of one thread's evaluations. */
  static final class Workspace {
    double[] gathered = new double[0];
    double[] projected = new double[0];
    double[] bounds = new double[0];
    double[] products = new double[0];
    int[] rows = new int[0];
    int[] identity = new int[0];
    int[] best = new int[0];
    /** Floating-point operations performed so far (pruned pairs cost nothing). */
    long flops;

    int[] rows(int n) {
      if (rows.length < n) {
        rows = new int[n];
      }
      return rows;
    }

    /** {@code 0, 1, ..., n - 1} (and possibly more). */
    int[] identity(int n) {
      if (identity.length < n) {
        identity = new int[n];
        for (int i = 0; i < n; i++) {
          identity[i] = i;
        }
      }
      return identity;
    }

    double[] gathered(int size) {
      if (gathered.length < size) {
        gathered = new double[size];
      }
      return gathered;
    }

    double[] projected(int size) {
      if (projected.length < size) {
        projected = new double[size];
      }
      return projected;
    }
  }

  /** Fills {@code out} (rows x k, row-major) with {@code log pi_k + log N(x_n | k)}. */
  void logJoint(RowBlock block, double[] out, Workspace ws) {
    switch (type) {
      case FULL -> {
        if (boundColumnsT != null) {
          logJointPruned(block, out, ws);
        } else {
          Arrays.fill(out, 0, block.rows() * k, Double.NEGATIVE_INFINITY);
          for (int c = 0; c < k; c++) {
            exact(block, c, ws.identity(block.rows()), block.rows(), out, ws);
          }
        }
      }
      case TIED -> logJointTied(block, out, ws);
      default -> logJointScaled(block, out, ws);
    }
  }

  /**
   * {@code out[r, c]} for the listed rows of component {@code c}: their centred rows gathered into one
   * matrix, multiplied by {@code P_c^T}.
   */
  private void exact(RowBlock block, int c, int[] rows, int m, double[] out, Workspace ws) {
    if (m == 0) {
      return;
    }
    double[] x = block.values();
    double[] g = ws.gathered(m * d);
    int mo = c * d;
    for (int i = 0; i < m; i++) {
      int xo = rows[i] * d;
      int go = i * d;
      for (int j = 0; j < d; j++) {
        g[go + j] = x[xo + j] - means[mo + j];
      }
    }
    double[] y = ws.projected(m * d);
    Blas.gemm(m, d, d, g, inverseFactorT[c], 0.0, y);
    ws.flops += 2L * m * d * d + 3L * m * d;
    for (int i = 0; i < m; i++) {
      int yo = i * d;
      double maha = 0.0;
      for (int j = 0; j < d; j++) {
        maha += y[yo + j] * y[yo + j];
      }
      out[rows[i] * k + c] = logNormalizer[c] - 0.5 * maha;
    }
  }

  private void logJointPruned(RowBlock block, double[] out, Workspace ws) {
    int n = block.rows();
    double[] x = block.values();
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
    Blas.gemm(n, columns, d, x, boundColumnsT, 0.0, products);
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

  private void logJointTied(RowBlock block, double[] out, Workspace ws) {
    int n = block.rows();
    double[] y = ws.projected(n * d);
    Blas.gemm(n, d, d, block.values(), inverseFactorT[0], 0.0, y);
    double[] offsets = ws.gathered(k * d);
    Blas.gemm(k, d, d, means, inverseFactorT[0], 0.0, offsets);
    ws.flops += 2L * (n + k) * d * d + 3L * n * k * d;
    for (int r = 0; r < n; r++) {
      int yo = r * d;
      for (int c = 0; c < k; c++) {
        int o = c * d;
        double maha = 0.0;
        for (int j = 0; j < d; j++) {
          double t = y[yo + j] - offsets[o + j];
          maha += t * t;
        }
        out[r * k + c] = logNormalizer[c] - 0.5 * maha;
      }
    }
  }

  private void logJointScaled(RowBlock block, double[] out, Workspace ws) {
    double[] x = block.values();
    ws.flops += 4L * block.rows() * k * d;
    for (int r = 0; r < block.rows(); r++) {
      int xo = r * d;
      for (int c = 0; c < k; c++) {
        int o = c * d;
        double maha = 0.0;
        for (int j = 0; j < d; j++) {
          double t = (x[xo + j] - means[o + j]) * inverseScales[o + j];
          maha += t * t;
        }
        out[r * k + c] = logNormalizer[c] - 0.5 * maha;
      }
    }
  }

  /**
   * Turns each row of {@code logJoint} (rows x k) into responsibilities in place and returns the row's
   * {@code log p(x) = logsumexp_k logJoint}; the maximum is subtracted first so no term overflows or
   * underflows to a zero sum.
   */
  static double normalizeRow(double[] logJoint, int offset, int k) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      max = Math.max(max, logJoint[offset + c]);
    }
    double sum = 0.0;
    for (int c = 0; c < k; c++) {
      double e = Math.exp(logJoint[offset + c] - max);
      logJoint[offset + c] = e;
      sum += e;
    }
    for (int c = 0; c < k; c++) {
      logJoint[offset + c] /= sum;
    }
    return max + Math.log(sum);
  }

  private static double[] transpose(double[] a, int d) {
    return transpose(a, d, d);
  }

  /** Transpose of a row-major {@code rows x cols} matrix. */
  private static double[] transpose(double[] a, int rows, int cols) {
    double[] t = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = a[i * cols + j];
      }
    }
    return t;
  }
}
