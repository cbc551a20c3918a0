package org.sparklvm.core.gmm;

import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.linalg.Cholesky;

/**
 * The per-component log-densities {@code log pi_k + log N(x | mu_k, Sigma_k)} of a mixture, evaluated on
 * a block of rows at once. Each {@link CovarianceFamily} chooses its evaluator: full and tied
 * covariances whiten the rows with inverse Cholesky factors in GEMMs ({@link FullDensity}, {@link
 * PrunedFullDensity}, {@link TiedDensity}), diagonal and spherical ones scale them element-wise
 * ({@link DiagonalDensity}).
 */
abstract class MixtureDensity {

  private static final double LOG_2PI = Math.log(2.0 * Math.PI);
  /** Pairs whose log-density is provably this far below the row's best may be skipped. */
  static final double PRUNE = 40.0;

  final int k;
  final int d;
  /** {@code log pi_k - (d log 2 pi + log det Sigma_k) / 2}. */
  final double[] logNormalizer;
  /** Row-major means, {@code k x d}. */
  final double[] means;

  MixtureDensity(GaussianMixtureModel model, Cholesky[] factors) {
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
  }

  /** Fills {@code out} (rows x k, row-major) with {@code log pi_k + log N(x_n | k)}. */
  abstract void logJoint(RowBlock block, double[] out, Workspace ws);

  /**
   * The packed forms when this evaluator's family keeps full second moments and the mixture allows
   * them ({@link PackedForms#of}); {@code null} otherwise.
   */
  PackedForms forms() {
    return null;
  }

  /**
   * Whether this block's log-densities should come from {@link #packedLogJoint}, chunk by chunk
   * (then the chunks' packed outer products serve the second moments too).
   */
  boolean packedRoute(RowBlock block, Workspace ws) {
    return false;
  }

  /**
   * Fills rows {@code from .. from + m - 1} of {@code out} (the block's {@code rows x k}) from the
   * packed outer products of those rows, which it leaves in {@code ws.outer}.
   */
  void packedLogJoint(RowBlock block, int from, int m, double[] out, Workspace ws) {
    throw new UnsupportedOperationException("no packed route for " + getClass().getSimpleName());
  }

  /** Reusable buffers of one thread's evaluations. */
  static final class Workspace {
    double[] outer = new double[0];
    double[] moments = new double[0];
    double[] chunk = new double[0];
    double[] probe = new double[0];
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

    double[] outer(int size) {
      if (outer.length < size) {
        outer = new double[size];
      }
      return outer;
    }

    /** The accumulated moments, {@code size} zeros when first asked for. */
    double[] moments(int size) {
      if (moments.length < size) {
        moments = new double[size];
      }
      return moments;
    }

    double[] chunk(int size) {
      if (chunk.length < size) {
        chunk = new double[size];
      }
      return chunk;
    }

    double[] probe(int size) {
      if (probe.length < size) {
        probe = new double[size];
      }
      return probe;
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

  /** Transpose of a row-major {@code d x d} matrix. */
  static double[] transpose(double[] a, int d) {
    double[] t = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        t[j * d + i] = a[i * d + j];
      }
    }
    return t;
  }
}
