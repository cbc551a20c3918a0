package org.sparklvm.core.linalg;

/**
 * Rows' outer products {@code x x^T} stored as their packed upper triangles, {@code d (d + 1) / 2}
 * entries per row in the order {@code (0,0), (0,1), ..., (0,d-1), (1,1), ..., (d-1,d-1)}.
 *
 * <p>With every row's packed product in one table {@code U}, a quadratic form of each row under many
 * symmetric matrices is one matrix product: {@code x^T A x = <x x^T, A> = U . pack(A)} where {@code
 * pack} doubles the off-diagonal entries (each stands for {@code (i, j)} and {@code (j, i)}); and a
 * weighted sum of the rows' outer products {@code sum w x x^T} is {@code w^T U}, packed.
 */
public final class PackedOuterProducts {

  private PackedOuterProducts() {}

  /** Entries of a packed upper triangle of a {@code d x d} matrix. */
  public static int size(int d) {
    return d * (d + 1) / 2;
  }

  /**
   * Writes, for rows {@code from .. from + n - 1} of row-major {@code x} ({@code d} columns), the
   * packed {@code (x - centre)(x - centre)^T} followed by {@code x - centre}: rows of {@code width =
   * size(d) + d} entries in {@code out}, from its start.
   */
  public static void centredRows(double[] x, int from, int n, int d, double[] centre,
      double[] out) {
    int packed = size(d);
    int width = packed + d;
    double[] row = new double[d];
    for (int r = 0; r < n; r++) {
      int xo = (from + r) * d;
      int o = r * width;
      for (int j = 0; j < d; j++) {
        row[j] = x[xo + j] - centre[j];
      }
      // Plain counted loops over a separate row array: the JIT vectorises them.
      int p = o;
      for (int i = 0; i < d; i++) {
        double xi = row[i];
        int len = d - i;
        for (int q = 0; q < len; q++) {
          out[p + q] = xi * row[i + q];
        }
        p += len;
      }
      System.arraycopy(row, 0, out, o + packed, d);
    }
  }

  /**
   * The packed upper triangle of symmetric row-major {@code a} ({@code d x d}) with off-diagonal
   * entries doubled, written to {@code out} with stride {@code stride} from {@code offset}: dotted
   * with a packed outer product it gives {@code x^T a x}.
   */
  public static void packForm(double[] a, int d, double[] out, int offset, int stride) {
    int p = 0;
    for (int i = 0; i < d; i++) {
      out[offset + p * stride] = a[i * d + i];
      p++;
      for (int j = i + 1; j < d; j++) {
        out[offset + p * stride] = a[i * d + j] + a[j * d + i];
        p++;
      }
    }
  }
}
