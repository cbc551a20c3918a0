package org.sparklvm.core.gmm;

import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.linalg.Blas;
import org.sparklvm.core.linalg.Cholesky;
import org.sparklvm.core.linalg.PackedOuterProducts;

/**
 * Every component's Mahalanobis distance, and every component's second moment, from one table of the
 * rows' packed outer products instead of one whitening per component.
 *
 * <p>With {@code x' = x - m} for a reference point {@code m} (the mixture's mean {@code sum pi_k
 * mu_k}, which after an M-step is the data's weighted mean), {@code mu'_k = mu_k - m} and the precision
 * {@code P_k = Sigma_k^-1}:
 *
 * <pre>(x - mu_k)^T P_k (x - mu_k) = &lt;x' x'^T, P_k&gt; - 2 (P_k mu'_k)^T x' + mu'_k^T P_k mu'_k,</pre>
 *
 * so with the block's rows {@code [packed x' x'^T, x']} as one table {@code U} (n x (d(d+1)/2 + d)),
 * all k distances are one GEMM of {@code U} with a fixed {@code (d(d+1)/2 + d) x k} matrix, and the
 * moments {@code sum r_k x' x'^T} and {@code sum r_k x'} of all components are one GEMM {@code R^T U}.
 * That is {@code 2 n k (d(d+1)/2 + d)} flops each way instead of {@code 2 n k d^2}: half, with a wide
 * inner dimension. Moments are shifted to the component's mean before they leave the block.
 *
 * <p>The shift formula subtracts numbers of size {@code |x'|^T |P_k| |x'|} to leave one of size
 * {@code (x - mu_k)^T P_k (x - mu_k)}. Component {@code k} is {@link #eligible} only when its
 * amplification {@code sum_ij |P_ij| (sqrt(Sigma_ii Sigma_jj) + |mu'_i mu'_j|)} (the size of those
 * terms for a row one standard deviation from its mean) is at most {@link #MAX_AMPLIFICATION}: then
 * the distance is off by about {@code 1e4 eps sqrt(width)}, below {@code 1e-10}. Components beyond
 * it (far from the mixture's mean, or nearly singular) keep the per-component route.
 */
final class PackedForms {

  /** Below this dimension the per-component routes are as cheap and keep their exactness. */
  static final int MIN_DIM = 8;
  static final double MAX_AMPLIFICATION = 1e4;

  final int k;
  final int d;
  /** {@code d (d + 1) / 2 + d}: one row of {@code U}. */
  final int width;
  private final int packed;
  private final double[] centre;
  /** {@code mu_k - m}, k x d. */
  private final double[] shifts;
  private final boolean[] eligible;
  private int eligibleCount;
  /** width x k: column k is pack(P_k) over {@code -2 P_k mu'_k} (zero for an ineligible one). */
  private final double[] forms;
  /** {@code mu'_k^T P_k mu'_k}. */
  private final double[] offsets;

  private PackedForms(int k, int d) {
    this.k = k;
    this.d = d;
    this.packed = PackedOuterProducts.size(d);
    this.width = packed + d;
    this.centre = new double[d];
    this.shifts = new double[k * d];
    this.eligible = new boolean[k];
    this.forms = new double[width * k];
    this.offsets = new double[k];
  }

  /**
   * The forms of {@code model}, or {@code null} when its dimension is below {@link #MIN_DIM} or no
   * component is eligible.
   */
  static PackedForms of(GaussianMixtureModel model, Cholesky[] factors) {
    int k = model.k();
    int d = model.dim();
    if (d < MIN_DIM) {
      return null;
    }
    PackedForms f = new PackedForms(k, d);
    double[] weights = model.weights();
    for (int c = 0; c < k; c++) {
      double[] mu = model.mean(c);
      for (int j = 0; j < d; j++) {
        f.centre[j] += weights[c] * mu[j];
      }
    }
    for (int c = 0; c < k; c++) {
      double[] precision = precision(factors[c].inverseLower(), d);
      double[] mu = model.mean(c);
      for (int j = 0; j < d; j++) {
        f.shifts[c * d + j] = mu[j] - f.centre[j];
      }
      if (amplification(precision, model.covariance(c), f.shifts, c * d, d) > MAX_AMPLIFICATION) {
        continue;
      }
      f.eligible[c] = true;
      f.eligibleCount++;
      PackedOuterProducts.packForm(precision, d, f.forms, c, k);
      double offset = 0.0;
      for (int i = 0; i < d; i++) {
        double s = 0.0;
        for (int j = 0; j < d; j++) {
          s += precision[i * d + j] * f.shifts[c * d + j];
        }
        f.forms[(f.packed + i) * k + c] = -2.0 * s;
        offset += f.shifts[c * d + i] * s;
      }
      f.offsets[c] = offset;
    }
    return f.eligibleCount == 0 ? null : f;
  }

  /** {@code P = L^-T L^-1} from the lower-triangular {@code L^-1}. */
  private static double[] precision(double[] inv, int d) {
    double[] p = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double s = 0.0;
        for (int q = i; q < d; q++) {
          s += inv[q * d + i] * inv[q * d + j];
        }
        p[i * d + j] = s;
        p[j * d + i] = s;
      }
    }
    return p;
  }

  private static double amplification(double[] p, double[] sigma, double[] shifts, int so, int d) {
    double a = 0.0;
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double spread = Math.sqrt(Math.abs(sigma[i * d + i] * sigma[j * d + j]));
        a += Math.abs(p[i * d + j]) * (spread + Math.abs(shifts[so + i] * shifts[so + j]));
      }
    }
    return a;
  }

  boolean eligible(int component) {
    return eligible[component];
  }

  int eligibleCount() {
    return eligibleCount;
  }

  /**
   * Rows per chunk of a block: the chunk's {@code U} ({@code 8 width} bytes a row) stays within 256
   * KB, in the core's own cache between the two GEMMs that read it. With k = 16 columns a GEMM does
   * only 4 flops per byte of {@code U} it reads, so a whole block's {@code U} (18 MB at d = 32),
   * streamed from memory twice, ran at half the rate measured on 64-row chunks.
   */
  int chunkRows() {
    return Math.max(8, Math.min(256, 32768 / width));
  }

  /** Fills {@code ws.outer} with {@code U} of rows {@code from .. from + m - 1} of the block. */
  void outerProducts(RowBlock block, int from, int m, MixtureDensity.Workspace ws) {
    double[] u = ws.outer(m * width);
    PackedOuterProducts.centredRows(block.values(), from, m, d, centre, u);
    ws.flops += (long) m * width;
  }

  /**
   * {@code out[r, k] = (x_r - mu_k)^T P_k (x_r - mu_k)} ({@code m x k}) for the rows whose {@code
   * U} is in {@code ws.outer}; entries of ineligible components are meaningless.
   */
  void mahalanobis(int m, double[] out, MixtureDensity.Workspace ws) {
    Blas.gemm(m, k, width, ws.outer, forms, 0.0, out);
    ws.flops += 2L * m * k * width;
    for (int r = 0; r < m; r++) {
      int o = r * k;
      for (int c = 0; c < k; c++) {
        // Rounding can take a distance of nearly zero below it.
        out[o + c] = Math.max(0.0, out[o + c] + offsets[c]);
      }
    }
  }

  /**
   * Adds {@code resp^T U} of the rows in {@code ws.outer} to {@code ws.moments} ({@code k x width}):
   * {@code resp} is their {@code m x k} weighted responsibilities.
   */
  void accumulate(int m, double[] resp, MixtureDensity.Workspace ws) {
    Blas.gemmTransposedA(k, width, m, resp, ws.outer, 1.0, ws.moments);
    ws.flops += 2L * m * k * width;
  }

  /**
   * Adds the moments accumulated in {@code ws.moments} (and clears them) for the eligible components,
   * about their means, to {@code first} (k x d) and {@code second} (k x d x d); {@code mass} holds
   * each component's {@code sum resp} over the same rows.
   */
  void addMoments(double[] mass, double[] first, double[] second, MixtureDensity.Workspace ws) {
    double[] t = ws.moments;
    for (int c = 0; c < k; c++) {
      if (!eligible[c] || mass[c] == 0.0) {
        continue;
      }
      int to = c * width;
      int tail = to + packed;
      int so = c * d;
      int qo = c * d * d;
      double nc = mass[c];
      // sum r (x - mu)(x - mu)^T = S' - f' mu'^T - mu' f'^T + N mu' mu'^T, all about m.
      int p = to;
      for (int i = 0; i < d; i++) {
        double fi = t[tail + i];
        double si = shifts[so + i];
        for (int j = i; j < d; j++) {
          double sj = shifts[so + j];
          double v = t[p++] - fi * sj - si * t[tail + j] + nc * si * sj;
          second[qo + i * d + j] += v;
          if (j != i) {
            second[qo + j * d + i] += v;
          }
        }
        first[so + i] += fi - nc * si;
      }
    }
    java.util.Arrays.fill(t, 0, k * width, 0.0);
  }
}
