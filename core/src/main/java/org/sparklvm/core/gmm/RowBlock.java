package org.sparklvm.core.gmm;

import java.io.Serializable;

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

  /** Copy of row {@code i}. */
  public double[] row(int i) {
    double[] r = new double[dim];
    System.arraycopy(values, i * dim, r, 0, dim);
    return r;
  }
}
