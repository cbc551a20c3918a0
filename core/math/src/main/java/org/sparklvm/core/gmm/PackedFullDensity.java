package org.sparklvm.core.gmm;

import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.linalg.Cholesky;

/**
 * Log-densities under full covariances from the rows' packed outer products ({@link PackedForms}):
 * one GEMM gives every eligible component's Mahalanobis distance, and the table it reads serves the
 * M-step's second moments too. Components the forms do not take are evaluated by the per-component
 * whitening of {@link FullDensity}.
 *
 * <p>Pruning ({@link PrunedFullDensity}) evaluates only the pairs that can matter, at {@code 4 d^2}
 * flops a pair (E-step and moments); the packed route evaluates all {@code k} at {@code 4 (d(d+1)/2 +
 * d)}. So each block first evaluates {@value #PROBE_ROWS} of its rows (spread evenly) exactly
 * against every component: if fewer than {@value #MIN_SURVIVING} of their pairs lie within {@link
 * MixtureDensity#PRUNE} nats of their row's best, as with well-separated components, the whole block
 * is pruned; otherwise it takes the packed route (and the pruning bounds are never built). The choice depends
 * only on the block and the mixture, never on scheduling.
 */
final class PackedFullDensity extends MixtureDensity {

  static final int PROBE_ROWS = 64;
  /** Break-even survival: {@code (2 d (d + 1) + 4 d) / (4 d^2)} is about 0.53 at d = 32. */
  static final double MIN_SURVIVING = 0.4;

  private final FullDensity exact;
  private final PackedForms forms;

  PackedFullDensity(GaussianMixtureModel model, Cholesky[] factors, FullDensity exact,
      PackedForms forms) {
    super(model, factors);
    this.exact = exact;
    this.forms = forms;
  }

  @Override
  PackedForms forms() {
    return forms;
  }

  @Override
  boolean packedRoute(RowBlock block, Workspace ws) {
    return !(exact instanceof PrunedFullDensity) || survivingFraction(block, ws) >= MIN_SURVIVING;
  }

  @Override
  void logJoint(RowBlock block, double[] out, Workspace ws) {
    if (!packedRoute(block, ws)) {
      exact.logJoint(block, out, ws);
      return;
    }
    int n = block.rows();
    int chunk = forms.chunkRows();
    for (int from = 0; from < n; from += chunk) {
      packedLogJoint(block, from, Math.min(chunk, n - from), out, ws);
    }
  }

  @Override
  void packedLogJoint(RowBlock block, int from, int m, double[] out, Workspace ws) {
    forms.outerProducts(block, from, m, ws);
    double[] maha = ws.chunk(m * k);
    forms.mahalanobis(m, maha, ws);
    for (int r = 0; r < m; r++) {
      int o = (from + r) * k;
      for (int c = 0; c < k; c++) {
        out[o + c] = logNormalizer[c] - 0.5 * maha[r * k + c];
      }
    }
    if (forms.eligibleCount() < k) {
      int[] rows = ws.rows(m);
      for (int i = 0; i < m; i++) {
        rows[i] = from + i;
      }
      for (int c = 0; c < k; c++) {
        if (!forms.eligible(c)) {
          exact.exact(block, c, rows, m, out, ws);
        }
      }
    }
  }

  /**
   * The fraction of pairs within {@link MixtureDensity#PRUNE} nats of their row's best, evaluated
   * exactly on evenly spread rows of the block: what pruning could at best skip.
   */
  private double survivingFraction(RowBlock block, Workspace ws) {
    int n = block.rows();
    int m = Math.min(n, PROBE_ROWS);
    double[] x = block.values();
    double[] sample = new double[m * d];
    for (int i = 0; i < m; i++) {
      System.arraycopy(x, (int) ((long) i * n / m) * d, sample, i * d, d);
    }
    RowBlock rows = new RowBlock(m, d, sample, null);
    double[] joint = ws.probe(m * k);
    int[] all = ws.identity(m);
    for (int c = 0; c < k; c++) {
      exact.exact(rows, c, all, m, joint, ws);
    }
    int kept = 0;
    for (int i = 0; i < m; i++) {
      double best = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        best = Math.max(best, joint[i * k + c]);
      }
      for (int c = 0; c < k; c++) {
        if (joint[i * k + c] >= best - PRUNE) {
          kept++;
        }
      }
    }
    return kept / (double) (m * k);
  }
}
