package org.sparklvm.core.linalg;

/**
 * Row-major matrix products on top of the BLAS Spark MLlib uses ({@code dev.ludovic.netlib}): a system
 * BLAS through JNI when one is installed, otherwise a Java implementation (vectorised where the JVM
 * offers the incubating Vector API).
 *
 * <p>BLAS is column-major; a row-major {@code m x n} array is the column-major {@code n x m} transpose,
 * so {@code C = A B} in row-major is {@code C^T = B^T A^T} in column-major.
 */
public final class Blas {

  private static final dev.ludovic.netlib.blas.BLAS BLAS = dev.ludovic.netlib.blas.BLAS.getInstance();

  private Blas() {}

  /** The implementation in use, for logs and benchmarks. */
  public static String implementation() {
    return BLAS.getClass().getSimpleName();
  }

  /**
   * {@code C = A B + beta C} with row-major {@code A} (m x k), {@code B} (k x n), {@code C} (m x n).
   */
  public static void gemm(int m, int n, int k, double[] a, double[] b, double beta, double[] c) {
    BLAS.dgemm("N", "N", n, m, k, 1.0, b, 0, n, a, 0, k, beta, c, 0, n);
  }

  /**
   * {@code C = A^T B + beta C} with row-major {@code A} (k x m), {@code B} (k x n), {@code C} (m x n):
   * sums over the rows of two tables, such as responsibilities against per-row products.
   */
  public static void gemmTransposedA(int m, int n, int k, double[] a, double[] b, double beta,
      double[] c) {
    // Row-major C is column-major C^T = B^T A; row-major A (k x m) is column-major A^T, hence "T".
    BLAS.dgemm("N", "T", n, m, k, 1.0, b, 0, n, a, 0, m, beta, c, 0, n);
  }

  /**
   * {@code C += A^T A} for row-major {@code A} (rows x cols) and {@code C} (cols x cols, starting at
   * {@code offset}): the Gram matrix of the rows, as a general product (the Java BLAS has no fast
   * {@code dsyrk}, and needs F2J classes for it).
   */
  public static void addGram(int rows, int cols, double[] a, double[] c, int offset) {
    // Row-major A is column-major A^T (cols x rows); A^T A = (A^T)(A^T)^T.
    BLAS.dgemm("N", "T", cols, cols, rows, 1.0, a, 0, cols, a, 0, cols, 1.0, c, offset, cols);
  }
}
