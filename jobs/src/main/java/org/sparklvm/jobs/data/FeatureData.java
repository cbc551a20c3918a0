package org.sparklvm.jobs.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.jobs.UserInputException;

/**
 * The feature rows of a table as cached {@link RowBlock}s, checked in the same pass that builds them:
 * every value finite, every row of one dimension, weights non-negative, at least one row. A bad row is
 * reported by its position in the table (0-based, in the table's order) with the column and value.
 */
public final class FeatureData implements AutoCloseable {

  /** Rows per block: large enough for efficient GEMM, small enough for the caches. */
  public static final int BLOCK_ROWS = 4096;

  private final JavaRDD<Chunk> chunks;
  private final JavaRDD<RowBlock> blocks;
  private final FeatureColumns columns;
  private final int dim;
  private final long rows;
  private final double totalWeight;
  private final int distinctRows;

  private FeatureData(JavaRDD<Chunk> chunks, FeatureColumns columns, int dim, long rows,
      double totalWeight, int distinctRows) {
    this.chunks = chunks;
    this.blocks = chunks.map(Chunk::block);
    this.columns = columns;
    this.dim = dim;
    this.rows = rows;
    this.totalWeight = totalWeight;
    this.distinctRows = distinctRows;
  }

  /**
   * Converts, checks and caches the features of {@code table}.
   *
   * @param expectedDim the dimension the rows must have (a model's), or 0 for any
   * @param distinctCap count distinct rows up to this many (to check k against them)
   * @throws UserInputException naming the first bad row, or when the table is empty
   */
  public static FeatureData of(Dataset<Row> table, FeatureColumns columns, int expectedDim,
      int distinctCap, String source) {
    return build(table, columns, expectedDim, distinctCap, source, true);
  }

  /**
   * Checks every row of {@code table} as {@link #of} does, caching nothing: for jobs that read the
   * rows again anyway (scoring).
   *
   * @param expectedDim the dimension the rows must have (a model's), or 0 for any
   * @throws UserInputException naming the first bad row, or when the table is empty
   */
  public static void check(Dataset<Row> table, FeatureColumns columns, int expectedDim,
      String source) {
    build(table, columns, expectedDim, 0, source, false);
  }

  private static FeatureData build(Dataset<Row> table, FeatureColumns columns, int expectedDim,
      int distinctCap, String source, boolean cache) {
    JavaRDD<Chunk> chunks = table.javaRDD().mapPartitions(rows -> toChunks(rows, columns));
    if (cache) {
      chunks = chunks.persist(StorageLevel.MEMORY_AND_DISK());
    }
    List<PartitionReport> reports;
    try {
      reports = chunks.mapPartitionsWithIndex(
          (index, it) -> List.of(PartitionReport.of(index, it, distinctCap)).iterator(), true)
          .collect();
    } catch (Exception e) {
      chunks.unpersist(false);
      if (DataReader.isMalformedInput(e)) {
        throw new UserInputException("cannot read " + source + ": " + DataReader.rootMessage(e), e);
      }
      throw e;
    }
    try {
      return summarise(chunks, columns, reports, expectedDim, distinctCap, source);
    } catch (RuntimeException e) {
      chunks.unpersist(false);
      throw e;
    }
  }

  private static FeatureData summarise(JavaRDD<Chunk> chunks, FeatureColumns columns,
      List<PartitionReport> reports, int expectedDim, int distinctCap, String source) {
    long before = 0;
    long rows = 0;
    double weight = 0.0;
    int dim = expectedDim;
    long dimRow = -1;
    Set<List<Double>> distinct = new HashSet<>();
    for (PartitionReport r : reports.stream()
        .sorted((a, b) -> Integer.compare(a.partition, b.partition)).toList()) {
      if (r.error != null) {
        throw new UserInputException(source + ": row " + (before + r.errorRow) + ": " + r.error);
      }
      if (r.rows > 0) {
        if (dim == 0) {
          dim = r.dim;
          dimRow = before;
        } else if (r.dim != dim) {
          throw new UserInputException(source + ": row " + before + " has " + r.dim
              + " features but " + (dimRow < 0 ? "the model has " : "row " + dimRow + " has ")
              + dim);
        }
      }
      for (double[] x : r.distinct) {
        if (distinct.size() < distinctCap) {
          distinct.add(boxed(x));
        }
      }
      before += r.rows;
      rows += r.rows;
      weight += r.weight;
    }
    if (rows == 0) {
      throw new UserInputException(source + " has no rows");
    }
    if (!(weight > 0.0)) {
      throw new UserInputException(source + ": the weights sum to " + weight);
    }
    return new FeatureData(chunks, columns, dim, rows, weight, distinct.size());
  }

  private static List<Double> boxed(double[] x) {
    List<Double> l = new ArrayList<>(x.length);
    for (double v : x) {
      l.add(v);
    }
    return l;
  }

  private static Iterator<Chunk> toChunks(Iterator<Row> rows, FeatureColumns columns) {
    List<Chunk> out = new ArrayList<>();
    double[] values = null;
    double[] weights = new double[BLOCK_ROWS];
    boolean weighted = columns.weightColumn() != null;
    int dim = -1;
    int n = 0;
    long index = 0;
    while (rows.hasNext()) {
      Row row = rows.next();
      double[] x;
      double w;
      try {
        x = columns.features(row);
        w = columns.weight(row);
      } catch (FeatureColumns.BadRowException e) {
        out.add(Chunk.error(index, e.getMessage()));
        return out.iterator();
      }
      if (dim < 0) {
        dim = x.length;
        if (dim == 0) {
          out.add(Chunk.error(index, "the feature vector is empty"));
          return out.iterator();
        }
        values = new double[BLOCK_ROWS * dim];
      } else if (x.length != dim) {
        out.add(Chunk.error(index, "has " + x.length + " features but the rows before it have "
            + dim));
        return out.iterator();
      }
      System.arraycopy(x, 0, values, n * dim, dim);
      weights[n] = w;
      n++;
      index++;
      if (n == BLOCK_ROWS) {
        out.add(Chunk.of(new RowBlock(n, dim, values, weighted ? weights : null)));
        values = new double[BLOCK_ROWS * dim];
        weights = new double[BLOCK_ROWS];
        n = 0;
      }
    }
    if (n > 0) {
      out.add(Chunk.of(new RowBlock(n, dim, Arrays.copyOf(values, n * dim),
          weighted ? Arrays.copyOf(weights, n) : null)));
    }
    return out.iterator();
  }

  /**
   * What Spark's storage holds of the cached blocks ({@code SparkContext.getRDDStorageInfo}).
   *
   * @param memoryBytes their estimated size in memory, deserialised
   * @param diskBytes what was spilled to local disk
   */
  public record Storage(long memoryBytes, long diskBytes) {}

  /** The cached blocks' size now; zeros when nothing is cached (yet). */
  public Storage storage() {
    for (org.apache.spark.storage.RDDInfo info : chunks.context().getRDDStorageInfo()) {
      if (info.id() == chunks.id()) {
        return new Storage(info.memSize(), info.diskSize());
      }
    }
    return new Storage(0, 0);
  }

  /** The cached blocks. */
  public JavaRDD<RowBlock> blocks() {
    return blocks;
  }

  public FeatureColumns columns() {
    return columns;
  }

  public int dim() {
    return dim;
  }

  public long rows() {
    return rows;
  }

  public double totalWeight() {
    return totalWeight;
  }

  /** Distinct rows, counted up to the cap given to {@link #of}. */
  public int distinctRows() {
    return distinctRows;
  }

  /**
   * About {@code n} rows drawn uniformly without replacement (all rows of a smaller table), as one
   * block held on the driver, for initialisation. Depends only on the data and the seed.
   */
  public RowBlock sample(int n, long seed) {
    double fraction = Math.min(1.0, 1.2 * n / (double) rows);
    List<RowBlock> parts = fraction >= 1.0 ? blocks.collect()
        : blocks.map(b -> sampleBlock(b, fraction, seed)).collect();
    return RowBlock.concat(parts, dim).subsample(n, new Random(seed));
  }

  private static RowBlock sampleBlock(RowBlock b, double fraction, long seed) {
    // Seeded by the block's contents so the sample does not depend on scheduling.
    Random random = new Random(seed ^ Arrays.hashCode(b.values()));
    int d = b.dim();
    double[] values = new double[b.values().length];
    double[] weights = new double[b.rows()];
    int n = 0;
    for (int r = 0; r < b.rows(); r++) {
      if (random.nextDouble() < fraction) {
        System.arraycopy(b.values(), r * d, values, n * d, d);
        weights[n++] = b.weight(r);
      }
    }
    return new RowBlock(n, d, Arrays.copyOf(values, n * d), Arrays.copyOf(weights, n));
  }

  @Override
  public void close() {
    chunks.unpersist(false);
  }

  /** A block, or the first bad row of a partition. */
  record Chunk(RowBlock block, long errorRow, String error) implements Serializable {
    static Chunk of(RowBlock block) {
      return new Chunk(block, -1, null);
    }

    static Chunk error(long row, String message) {
      return new Chunk(new RowBlock(0, 1, new double[0], null), row, message);
    }
  }

  /** What one partition holds: rows, weight, dimension, some distinct rows, its first error. */
  private record PartitionReport(int partition, long rows, double weight, int dim,
      List<double[]> distinct, long errorRow, String error) implements Serializable {

    static PartitionReport of(int partition, Iterator<Chunk> chunks, int distinctCap) {
      long rows = 0;
      double weight = 0.0;
      int dim = 0;
      Set<List<Double>> seen = new HashSet<>();
      List<double[]> distinct = new ArrayList<>();
      while (chunks.hasNext()) {
        Chunk c = chunks.next();
        if (c.error() != null) {
          return new PartitionReport(partition, rows, weight, dim, List.of(), c.errorRow(), c.error());
        }
        RowBlock b = c.block();
        dim = b.dim();
        weight += b.totalWeight();
        for (int r = 0; r < b.rows() && distinct.size() < distinctCap; r++) {
          double[] x = b.row(r);
          if (seen.add(boxed(x))) {
            distinct.add(x);
          }
        }
        rows += b.rows();
      }
      return new PartitionReport(partition, rows, weight, dim, distinct, -1, null);
    }
  }
}
