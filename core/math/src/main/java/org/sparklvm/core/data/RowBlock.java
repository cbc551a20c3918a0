package org.sparklvm.core.data;

import java.io.Serializable;
import java.util.List;
import java.util.Random;

/**
 * A block of rows stored row-major ({@code values[row * dim + j]}) with optional per-row weights: the
 * unit the E-step works on, so that densities and moments are matrix-matrix products.
 *
 * @param rows number of rows
 * @param dim number of features per row
 * @param values row-major values, length {@code rows * dim}
 * @param weights per-row weights, or {@code null} when every row weighs 1
 */
public record RowBlock(int rows, int dim, double[] values, double[] weights) implements Serializable {

  /**
   * @throws IllegalArgumentException when the arrays do not match {@code rows} and {@code dim}
   */
  public RowBlock {
    if (rows < 0 || dim < 1) {
      throw new IllegalArgumentException("a block needs rows >= 0 and dim >= 1, got " + rows + " x " + dim);
    }
    if (values.length != rows * dim) {
      throw new IllegalArgumentException(
          "block of " + rows + " x " + dim + " holds " + values.length + " values");
    }
    if (weights != null && weights.length != rows) {
      throw new IllegalArgumentException(
          "block of " + rows + " rows holds " + weights.length + " weights");
    }
  }

  /** The weight of row {@code i} (1 when the block is unweighted). */
  public double weight(int i) {
    return weights == null ? 1.0 : weights[i];
  }

  /** Sum of the weights. */
  public double totalWeight() {
    if (weights == null) {
      return rows;
    }
    double s = 0.0;
    for (double w : weights) {
      s += w;
    }
    return s;
  }

  /**
   * All rows of {@code blocks} in order, as one weighted block.
   *
   * @throws IllegalArgumentException when the blocks differ in dimension or there are none
   */
  public static RowBlock concat(List<RowBlock> blocks, int dim) {
    int n = 0;
    for (RowBlock b : blocks) {
      if (b.dim != dim && b.rows > 0) {
        throw new IllegalArgumentException("cannot join blocks of " + b.dim + " and " + dim
            + " features");
      }
      n += b.rows;
    }
    double[] values = new double[n * dim];
    double[] weights = new double[n];
    int i = 0;
    for (RowBlock b : blocks) {
      System.arraycopy(b.values, 0, values, i * dim, b.rows * dim);
      for (int r = 0; r < b.rows; r++) {
        weights[i + r] = b.weight(r);
      }
      i += b.rows;
    }
    return new RowBlock(n, dim, values, weights);
  }

  /** {@code n} rows drawn uniformly without replacement (all of them, in order, if there are fewer). */
  public RowBlock subsample(int n, Random random) {
    if (rows <= n) {
      return this;
    }
    int[] order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
    double[] v = new double[n * dim];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      // Partial Fisher-Yates shuffle.
      int j = i + random.nextInt(rows - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
      System.arraycopy(values, order[i] * dim, v, i * dim, dim);
      w[i] = weight(order[i]);
    }
    return new RowBlock(n, dim, v, w);
  }

  /** Each row kept with probability {@code fraction}, independently, in order (weights kept). */
  public RowBlock bernoulliSample(double fraction, Random random) {
    int[] kept = new int[rows];
    int n = 0;
    for (int i = 0; i < rows; i++) {
      if (random.nextDouble() < fraction) {
        kept[n++] = i;
      }
    }
    double[] v = new double[n * dim];
    double[] w = weights == null ? null : new double[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(values, kept[i] * dim, v, i * dim, dim);
      if (w != null) {
        w[i] = weights[kept[i]];
      }
    }
    return new RowBlock(n, dim, v, w);
  }

  /** Copy of row {@code i}. */
  public double[] row(int i) {
    double[] r = new double[dim];
    System.arraycopy(values, i * dim, r, 0, dim);
    return r;
  }
}
