package org.sparklvm.jobs.gmm;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.gmm.ExpectationMaximization;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.gmm.StepwiseEm;
import org.sparklvm.core.gmm.SufficientStatistics;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;
import scala.Tuple2;
import scala.runtime.AbstractFunction1;

/**
 * The rows of a table dealt at random into mini-batches of about {@code batchRows} rows, for online EM
 * on data larger than the cluster's memory. One shuffle does it: every row gets a uniformly random
 * target among {@code batches x width} partitions, and mini-batch {@code b} is partitions {@code [b
 * width, (b + 1) width)}, so its E-step runs as {@code width} parallel tasks (the cluster's default
 * parallelism) that read only their own shuffle blocks, and its statistics are merged with {@code
 * treeAggregate} as batch EM's are ({@link DistributedExpectation}).
 *
 * <p>Memory: nothing is cached. The map side streams each input partition, holding one small chunk
 * per target ({@value #BUFFER_VALUES} doubles in all at most); the shuffle writes the rows once to
 * the executors' local disks (one serialised copy of the features, not of the input's other
 * columns), and every later mini-batch and pass reads its own partitions from there, one chunk at a
 * time. An executor holds a chunk and a {@link SufficientStatistics} per task; the driver one mixture
 * and its statistics, plus the initialisation sample. Random batches (rather than input partitions
 * taken in order) keep every mini-batch a sample of the whole table even when the input is sorted, as
 * stochastic approximation needs.
 */
public final class ShuffledMiniBatches implements StepwiseEm.MiniBatches {

  /** Most doubles the map side buffers per input partition while dealing its rows. */
  static final int BUFFER_VALUES = 1 << 21;
  private static final int MAX_CHUNK_ROWS = 1024;

  private final JavaRDD<RowBlock> blocks;
  private final int batches;
  private final int width;
  private final long rows;

  private ShuffledMiniBatches(JavaRDD<RowBlock> blocks, int batches, int width, long rows) {
    this.blocks = blocks;
    this.batches = batches;
    this.width = width;
    this.rows = rows;
  }

  /**
   * Plans the mini-batches of {@code table}: counts its rows (Parquet and ORC from their footers) and
   * declares the shuffle, which runs with the first mini-batch read.
   *
   * @param batchRows rows of a mini-batch, about
   * @param width tasks per mini-batch, at least 1 (the cluster's default parallelism suits)
   * @param seed the deal of rows to batches depends only on it and the input's partitioning
   * @throws IllegalArgumentException when {@code batchRows} or {@code width} is below 1
   */
  public static ShuffledMiniBatches of(Dataset<Row> table, FeatureColumns columns, int batchRows,
      int width, long seed) {
    if (batchRows < 1 || width < 1) {
      throw new IllegalArgumentException(
          "batch rows and width must be at least 1, got " + batchRows + " and " + width);
    }
    long n = table.count();
    int batches =
        (int) Math.max(1, Math.min(Integer.MAX_VALUE / width, (n + batchRows - 1) / batchRows));
    int partitions = batches * width;
    JavaPairRDD<Integer, RowBlock> dealt = table.javaRDD().mapPartitionsWithIndex(
        (p, it) -> new Dealer(it, columns, partitions, new Random(seed * 1_000_003L + p)), false)
        .mapToPair(t -> t);
    // The map side's chunks are small when there are many targets; the E-step wants blocks.
    JavaRDD<RowBlock> blocks = dealt.partitionBy(new Identity(partitions)).values()
        .mapPartitions(ShuffledMiniBatches::joined);
    return new ShuffledMiniBatches(blocks, batches, width, n);
  }

  @Override
  public int count() {
    return batches;
  }

  /** Rows of the table (all mini-batches together). */
  public long rows() {
    return rows;
  }

  /** Every row, as blocks read back from the shuffle: for scoring the fitted mixture on all rows. */
  public JavaRDD<RowBlock> blocks() {
    return blocks;
  }

  /** One E-step over every row under a fixed mixture, from the shuffled copy. */
  public ExpectationMaximization.ExpectationPass evaluation() {
    return new DistributedExpectation(blocks);
  }

  @Override
  public SufficientStatistics expect(int batch, GaussianMixtureModel model) {
    return new DistributedExpectation(partitions(batch, batch + 1)).expect(model);
  }

  /**
   * At least {@code n} rows, when the table has them, from the first mini-batches (each a uniform
   * random sample of the table), on the driver: for initialisation.
   */
  public RowBlock sample(int n, long seed) {
    int take = (int) Math.min(batches, Math.max(1, (long) n * batches / Math.max(1, rows) + 1));
    List<RowBlock> parts = partitions(0, take).collect();
    int dim = parts.stream().filter(b -> b.rows() > 0).findFirst().map(RowBlock::dim).orElse(1);
    return RowBlock.concat(parts, dim).subsample(n, new Random(seed));
  }

  /** Consecutive chunks joined into blocks of up to {@link FeatureData#BLOCK_ROWS} rows, lazily. */
  private static Iterator<RowBlock> joined(Iterator<RowBlock> chunks) {
    return new Iterator<>() {
      private RowBlock pending;

      @Override
      public boolean hasNext() {
        return pending != null || chunks.hasNext();
      }

      @Override
      public RowBlock next() {
        List<RowBlock> parts = new ArrayList<>();
        int n = 0;
        if (pending != null) {
          parts.add(pending);
          n = pending.rows();
          pending = null;
        }
        while (chunks.hasNext()) {
          RowBlock c = chunks.next();
          if (n > 0 && n + c.rows() > FeatureData.BLOCK_ROWS) {
            pending = c;
            break;
          }
          parts.add(c);
          n += c.rows();
        }
        if (parts.isEmpty()) {
          throw new NoSuchElementException();
        }
        return parts.size() == 1 ? parts.get(0) : concat(parts);
      }
    };
  }

  /** Joins chunks, keeping them unweighted when all are. */
  private static RowBlock concat(List<RowBlock> parts) {
    RowBlock joined = RowBlock.concat(parts, parts.get(0).dim());
    boolean weighted = parts.stream().anyMatch(b -> b.weights() != null);
    return weighted ? joined : new RowBlock(joined.rows(), joined.dim(), joined.values(), null);
  }

  /** The blocks of mini-batches {@code [from, to)}: only their partitions are read. */
  private JavaRDD<RowBlock> partitions(int from, int to) {
    PartitionPruningRDD<RowBlock> pruned =
        PartitionPruningRDD.create(blocks.rdd(), new Range(from * width, to * width));
    return new JavaRDD<>(pruned, blocks.classTag());
  }

  /** Keeps the partitions of one index range. */
  private static final class Range extends AbstractFunction1<Object, Object>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int from;
    private final int to;

    Range(int from, int to) {
      this.from = from;
      this.to = to;
    }

    @Override
    public Object apply(Object index) {
      int i = (Integer) index;
      return i >= from && i < to;
    }
  }

  /** Sends key {@code i} to partition {@code i}. */
  private static final class Identity extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;

    Identity(int partitions) {
      this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    public int getPartition(Object key) {
      return (Integer) key;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Identity o && o.partitions == partitions;
    }

    @Override
    public int hashCode() {
      return partitions;
    }
  }

  /**
   * Deals the rows of one input partition to random targets, emitting a target's chunk when it fills
   * and every partial chunk at the end. Chunks are small enough that all targets' together stay
   * within {@link #BUFFER_VALUES}.
   */
  private static final class Dealer implements Iterator<Tuple2<Integer, RowBlock>> {
    private final Iterator<Row> rows;
    private final FeatureColumns columns;
    private final int targets;
    private final Random random;
    private final boolean weighted;
    private double[][] values;
    private double[][] weights;
    private int[] filled;
    private int dim = -1;
    private int chunkRows;
    private Tuple2<Integer, RowBlock> next;
    private int flushing = -1;

    Dealer(Iterator<Row> rows, FeatureColumns columns, int targets, Random random) {
      this.rows = rows;
      this.columns = columns;
      this.targets = targets;
      this.random = random;
      this.weighted = columns.weightColumn() != null;
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        if (flushing < 0 && rows.hasNext()) {
          deal(rows.next());
        } else if (dim < 0) {
          return false;
        } else {
          flushing++;
          if (flushing >= targets) {
            return false;
          }
          if (filled[flushing] > 0) {
            next = emit(flushing);
          }
        }
      }
      return true;
    }

    @Override
    public Tuple2<Integer, RowBlock> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Tuple2<Integer, RowBlock> out = next;
      next = null;
      return out;
    }

    private void deal(Row row) {
      double[] x = columns.features(row);
      double w = columns.weight(row);
      if (dim < 0) {
        dim = x.length;
        if (dim == 0) {
          throw new FeatureColumns.BadRowException("the feature vector is empty");
        }
        chunkRows = (int) Math.max(1, Math.min(MAX_CHUNK_ROWS,
            BUFFER_VALUES / ((long) targets * (dim + 1))));
        values = new double[targets][];
        weights = new double[targets][];
        filled = new int[targets];
      } else if (x.length != dim) {
        throw new FeatureColumns.BadRowException(
            "has " + x.length + " features but the rows before it have " + dim);
      }
      int t = random.nextInt(targets);
      if (values[t] == null) {
        values[t] = new double[chunkRows * dim];
        weights[t] = weighted ? new double[chunkRows] : null;
      }
      System.arraycopy(x, 0, values[t], filled[t] * dim, dim);
      if (weighted) {
        weights[t][filled[t]] = w;
      }
      filled[t]++;
      if (filled[t] == chunkRows) {
        next = emit(t);
      }
    }

    private Tuple2<Integer, RowBlock> emit(int t) {
      int n = filled[t];
      double[] v = n == chunkRows ? values[t] : Arrays.copyOf(values[t], n * dim);
      double[] w = weights[t] == null ? null
          : n == chunkRows ? weights[t] : Arrays.copyOf(weights[t], n);
      values[t] = null;
      weights[t] = null;
      filled[t] = 0;
      return new Tuple2<>(t, new RowBlock(n, dim, v, w));
    }
  }
}
