package org.sparklvm.jobs.score;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;
import org.sparklvm.jobs.data.OutputColumns;

/**
 * Adds columns to every row of a table, computed where the rows are on blocks of {@value
 * FeatureData#BLOCK_ROWS} rows: the one path by which every kind's scoring and encoding reads rows.
 */
public final class BlockMapper {

  /** Computes the added columns of a block's rows, in one partition. */
  @FunctionalInterface
  public interface BlockFunction {
    /** {@code out[r]} receives the added values of row {@code r}. */
    void apply(RowBlock block, Object[][] out);
  }

  /** Opens a partition's {@link BlockFunction} (rebuilding a network, seeding a generator). */
  @FunctionalInterface
  public interface PartitionFunction extends Serializable {
    BlockFunction open(int partition);
  }

  private BlockMapper() {}

  /**
   * The table with {@code added} columns after its own, lazily.
   *
   * @param dim the dimension every row must have
   * @throws UserInputException when the input already has one of the added columns (and, when the
   *     rows are read, a row of another dimension)
   */
  public static Dataset<Row> map(Dataset<Row> table, FeatureColumns columns, int dim,
      List<StructField> added, PartitionFunction function) {
    StructType schema = OutputColumns.append(table.schema(), added.toArray(new StructField[0]));
    int width = table.schema().size();
    int extra = added.size();
    MapPartitionsFunction<Row, Row> f = rows -> new Blocks(rows, columns, dim, width, extra,
        function.open(TaskContext.getPartitionId()));
    return table.mapPartitions(f, Encoders.row(schema));
  }

  /** The rows of a partition, read, scored and emitted a block at a time. */
  private static final class Blocks implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final FeatureColumns columns;
    private final int dim;
    private final int width;
    private final int extra;
    private final BlockFunction function;
    private final List<Row> pending = new ArrayList<>(FeatureData.BLOCK_ROWS);
    private final List<Row> ready = new ArrayList<>(FeatureData.BLOCK_ROWS);
    private int next;

    Blocks(Iterator<Row> rows, FeatureColumns columns, int dim, int width, int extra,
        BlockFunction function) {
      this.rows = rows;
      this.columns = columns;
      this.dim = dim;
      this.width = width;
      this.extra = extra;
      this.function = function;
    }

    @Override
    public boolean hasNext() {
      if (next < ready.size()) {
        return true;
      }
      ready.clear();
      next = 0;
      pending.clear();
      while (rows.hasNext() && pending.size() < FeatureData.BLOCK_ROWS) {
        pending.add(rows.next());
      }
      if (pending.isEmpty()) {
        return false;
      }
      int n = pending.size();
      double[] values = new double[n * dim];
      for (int r = 0; r < n; r++) {
        double[] x = columns.features(pending.get(r));
        if (x.length != dim) {
          throw new UserInputException(
              "a row has " + x.length + " features but the model has " + dim);
        }
        System.arraycopy(x, 0, values, r * dim, dim);
      }
      Object[][] added = new Object[n][extra];
      function.apply(new RowBlock(n, dim, values, null), added);
      for (int r = 0; r < n; r++) {
        Row in = pending.get(r);
        Object[] out = new Object[width + extra];
        for (int i = 0; i < width; i++) {
          out[i] = in.get(i);
        }
        System.arraycopy(added[r], 0, out, width, extra);
        ready.add(RowFactory.create(out));
      }
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.get(next++);
    }
  }
}
