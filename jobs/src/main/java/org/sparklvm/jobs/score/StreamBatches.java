package org.sparklvm.jobs.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.data.DataReader;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.OutputColumns;
import org.sparklvm.jobs.store.AtomicOutput;

/**
 * The part every streamed job over a directory shares ({@code gmm score --stream}, {@code gmm fit
 * --online --stream}): each micro-batch's rows checked one by one ({@link RowCheck}, the batch
 * check's reasons) and split into good rows and rejects with their {@value #REASON} and {@value
 * #INPUT_FILE}; a {@code foreachBatch} query run until it fails, is stopped, or has processed a
 * given number of micro-batches; and a batch's folder written whole.
 */
public final class StreamBatches {

  /** Why a rejected row could not be used. */
  public static final String REASON = "reason";
  /** The file a rejected row came from. */
  public static final String INPUT_FILE = "inputFile";
  /** The partition folder of a micro-batch, {@code batch=N}. */
  public static final String BATCH = "batch";

  /** Where a stream writes. */
  public record Sinks(String output, String rejects, String checkpoint) {}

  /**
   * One micro-batch's rows with their reasons, persisted until closed.
   *
   * @param good the rows that passed, in the stream's columns
   * @param bad the rows that did not, with {@value #INPUT_FILE} and {@value #REASON}
   */
  public record Split(Dataset<Row> all, Dataset<Row> good, Dataset<Row> bad)
      implements AutoCloseable {
    @Override
    public void close() {
      all.unpersist(false);
    }
  }

  /** What a job does with one micro-batch. */
  @FunctionalInterface
  public interface Handler {
    void accept(Split batch, long id) throws Exception;
  }

  private final StructType checked;
  private final String[] added;
  private final MapPartitionsFunction<Row, Row> withReasons;

  /**
   * @param schema the stream's schema ({@link DataReader#readStream})
   * @param columns the feature columns resolved against it, with the model's constraints
   * @param dim the model's dimension
   */
  public StreamBatches(StructType schema, FeatureColumns columns, int dim) {
    List<String> names = Arrays.asList(schema.fieldNames());
    RowCheck check = new RowCheck(columns, dim, names.indexOf(DataReader.CORRUPT_RECORD));
    // Added columns go last, so the feature columns' positions hold in every table below.
    List<String> extra = new ArrayList<>(List.of(INPUT_FILE, REASON));
    if (names.contains(DataReader.CORRUPT_RECORD)) {
      extra.add(DataReader.CORRUPT_RECORD);
    }
    this.added = extra.toArray(new String[0]);
    this.checked = OutputColumns.append(schema,
        new StructField(INPUT_FILE, DataTypes.StringType, true, Metadata.empty()),
        new StructField(REASON, DataTypes.StringType, true, Metadata.empty()));
    this.withReasons = withReasons(check);
  }

  /** Appends each row's problem; static, so the function does not carry this object to the tasks. */
  private static MapPartitionsFunction<Row, Row> withReasons(RowCheck check) {
    return rows -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row row = rows.next();
        Object[] out = new Object[row.size() + 1];
        for (int i = 0; i < row.size(); i++) {
          out[i] = row.get(i);
        }
        out[row.size()] = check.problem(row);
        return RowFactory.create(out);
      }
    };
  }

  /** Checks a micro-batch's rows (the stream's columns and {@value #INPUT_FILE}). */
  public Split split(Dataset<Row> batch) {
    Dataset<Row> rows = batch.mapPartitions(withReasons, Encoders.row(checked))
        .persist(StorageLevel.MEMORY_AND_DISK());
    return new Split(rows, rows.filter(col(REASON).isNull()).drop(added),
        rows.filter(col(REASON).isNotNull()));
  }

  /**
   * Runs {@code handler} on each micro-batch of {@code stream} until the query fails, is stopped, or
   * {@code maxBatches} batches are done (then stops it after the last one is committed and returns).
   * A batch beyond the budget is left uncommitted, so a later run reads its files again; a batch the
   * checkpoint did not commit (a crash) is replayed under the same id.
   *
   * @param maxBatches micro-batches to process before stopping, or null to run until stopped
   * @param triggerMillis the least time between the starts of two micro-batches
   * @return the micro-batches processed
   * @throws StreamingQueryException when the query fails
   */
  public long run(Dataset<Row> stream, String checkpoint, Handler handler, Integer maxBatches,
      long triggerMillis, Configuration conf)
      throws StreamingQueryException, TimeoutException, IOException {
    AtomicLong batches = new AtomicLong();
    AtomicLong lastBatch = new AtomicLong(-1);
    AtomicBoolean parked = new AtomicBoolean();
    VoidFunction2<Dataset<Row>, Long> perBatch = (batch, id) -> {
      if (maxBatches != null && batches.get() >= maxBatches) {
        // A batch beyond the budget: left uncommitted (the stop interrupts this wait).
        parked.set(true);
        Thread.sleep(Long.MAX_VALUE);
      }
      try (Split split = split(batch)) {
        handler.accept(split, id);
      }
      lastBatch.set(id);
      batches.incrementAndGet();
    };
    StreamingQuery query = stream.withColumn(INPUT_FILE, input_file_name()).writeStream()
        .option("checkpointLocation", checkpoint)
        .foreachBatch(perBatch)
        .trigger(Trigger.ProcessingTime(triggerMillis))
        .start();
    try {
      Path commits = new Path(checkpoint, "commits");
      while (query.isActive()) {
        // Stopped between triggers, or while the next batch waits above: a stop that interrupts
        // Spark planning a batch is as safe, but it logs errors.
        if (maxBatches != null && batches.get() >= maxBatches
            && committed(conf, commits, lastBatch.get())
            && (parked.get() || !query.status().isTriggerActive())) {
          break;
        }
        query.awaitTermination(100);
      }
    } finally {
      query.stop();
    }
    if (query.exception().isDefined()) {
      throw query.exception().get();
    }
    return batches.get();
  }

  /** Whether the checkpoint's commit log holds the batch (it will not be replayed). */
  private static boolean committed(Configuration conf, Path commits, long batch)
      throws IOException {
    return commits.getFileSystem(conf).exists(new Path(commits, Long.toString(batch)));
  }

  /** Writes one batch's folder whole, replacing what an earlier attempt at the batch left. */
  public static void writeBatch(Configuration conf, String dir, long id, Dataset<Row> rows)
      throws IOException {
    AtomicOutput.write(conf, new Path(dir, BATCH + "=" + id).toString(), true,
        tmp -> rows.write().parquet(tmp.toString()));
  }

  /**
   * Refuses, before any work, an output that exists without its checkpoint (it would be mixed with
   * an unrelated run's) unless {@code overwrite}.
   *
   * @throws UserInputException when the output exists without its checkpoint
   */
  public static void prepare(Configuration conf, Sinks sinks, boolean overwrite)
      throws IOException {
    Path output = new Path(sinks.output());
    FileSystem fs = output.getFileSystem(conf);
    if (!overwrite && fs.exists(output) && !fs.exists(new Path(sinks.checkpoint()))) {
      throw new UserInputException("output " + sinks.output() + " exists without the checkpoint "
          + sinks.checkpoint() + " that would continue it; pass --overwrite to start again, or"
          + " --checkpoint to continue from another");
    }
  }

  /** Deletes the output, the rejects and the checkpoint ({@code --overwrite}). */
  public static void clear(Configuration conf, Sinks sinks) throws IOException {
    for (String dir : new String[] {sinks.output(), sinks.rejects(), sinks.checkpoint()}) {
      Path p = new Path(dir);
      p.getFileSystem(conf).delete(p, true);
    }
  }
}
