package org.sparklvm.jobs.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklvm.jobs.data.DataReader;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.OutputColumns;
import org.sparklvm.jobs.store.AtomicOutput;

/**
 * Scores a stream of rows micro-batch by micro-batch: each batch's rows are checked one by one
 * ({@link RowCheck}, the batch check's reasons), the good ones scored by {@link ScoreJob#transform}
 * and written to {@code output/batch=N}, the bad ones written with their {@value #REASON} and
 * {@value #INPUT_FILE} to {@code rejects/batch=N}.
 *
 * <p>Delivery: Spark's checkpoint replays a micro-batch that was not committed (a crash, a stop
 * mid-batch) under the same batch id, and each batch's folder is written whole to a hidden sibling
 * and renamed into place, replacing what an earlier attempt left; so a reader of {@code output} (which
 * skips hidden folders) sees every row of every committed batch exactly once.
 */
public final class StreamScoreJob {

  /** Why a rejected row could not be scored. */
  public static final String REASON = "reason";
  /** The file a rejected row came from. */
  public static final String INPUT_FILE = "inputFile";
  /** The partition folder of a micro-batch, {@code batch=N}. */
  public static final String BATCH = "batch";

  private static final Logger LOG = LoggerFactory.getLogger(StreamScoreJob.class);

  private StreamScoreJob() {}

  /** Where the stream writes. */
  public record Sinks(String output, String rejects, String checkpoint) {}

  /** What one run processed. */
  public record Result(long batches, long rows, long rejected) {}

  /**
   * Runs the stream until it fails, is stopped, or has processed {@code maxBatches} micro-batches
   * (then stops it after the last one is committed and returns).
   *
   * @param stream a streaming table ({@link DataReader#readStream})
   * @param columns the feature columns, resolved against {@code stream}'s schema
   * @param anomalyThreshold log p(x) below which a row is an anomaly; NaN for no flag
   * @param maxBatches micro-batches to process before stopping, or null to run until stopped
   * @param triggerMillis the least time between the starts of two micro-batches
   * @throws org.sparklvm.jobs.UserInputException when the input already has a column the job adds
   * @throws StreamingQueryException when the query fails
   */
  public static Result run(Dataset<Row> stream, FeatureColumns columns, RowScorer scorer,
      double anomalyThreshold, Sinks sinks, Integer maxBatches, long triggerMillis, Configuration conf)
      throws StreamingQueryException, TimeoutException, IOException {
    StructType schema = stream.schema();
    List<String> names = Arrays.asList(schema.fieldNames());
    RowCheck check = new RowCheck(scorer.constrain(columns), scorer.dim(),
        names.indexOf(DataReader.CORRUPT_RECORD));
    // Added columns go last, so the feature columns' positions hold in every table below.
    List<String> added = new ArrayList<>(List.of(INPUT_FILE, REASON));
    if (names.contains(DataReader.CORRUPT_RECORD)) {
      added.add(DataReader.CORRUPT_RECORD);
    }
    // Refuses, before the query starts, an input that already has a column the job adds.
    StructType plain = new StructType();
    for (StructField f : schema.fields()) {
      if (!f.name().equals(DataReader.CORRUPT_RECORD)) {
        plain = plain.add(f);
      }
    }
    ScoreJob.outputSchema(plain, scorer.columns(), !Double.isNaN(anomalyThreshold));
    StructType checked = OutputColumns.append(schema,
        new StructField(INPUT_FILE, DataTypes.StringType, true, Metadata.empty()),
        new StructField(REASON, DataTypes.StringType, true, Metadata.empty()));
    MapPartitionsFunction<Row, Row> withReasons = rows -> new java.util.Iterator<>() {
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
    AtomicLong batches = new AtomicLong();
    AtomicLong scored = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    AtomicLong lastBatch = new AtomicLong(-1);
    AtomicBoolean parked = new AtomicBoolean();
    VoidFunction2<Dataset<Row>, Long> perBatch = (batch, id) -> {
      if (maxBatches != null && batches.get() >= maxBatches) {
        // A batch beyond the budget: left uncommitted (the stop interrupts this wait), so a later
        // run reads its files again.
        parked.set(true);
        Thread.sleep(Long.MAX_VALUE);
      }
      Dataset<Row> rows = batch.mapPartitions(withReasons, Encoders.row(checked))
          .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        Dataset<Row> bad = rows.filter(col(REASON).isNotNull());
        Dataset<Row> good = rows.filter(col(REASON).isNull())
            .drop(added.toArray(new String[0]));
        long all = rows.count();
        long nBad = bad.count();
        writeBatch(conf, sinks.output(), id,
            ScoreJob.transform(good, columns, scorer, anomalyThreshold));
        if (nBad > 0) {
          writeBatch(conf, sinks.rejects(), id, bad);
        }
        scored.addAndGet(all - nBad);
        rejected.addAndGet(nBad);
        lastBatch.set(id);
        LOG.info("stream: batch {} ({} of {}): {} rows scored, {} rejected", id,
            batches.incrementAndGet(), maxBatches == null ? "unbounded" : maxBatches, all - nBad,
            nBad);
      } finally {
        rows.unpersist(false);
      }
    };
    StreamingQuery query = stream.withColumn(INPUT_FILE, input_file_name()).writeStream()
        .option("checkpointLocation", sinks.checkpoint())
        .foreachBatch(perBatch)
        .trigger(Trigger.ProcessingTime(triggerMillis))
        .start();
    try {
      Path commits = new Path(sinks.checkpoint(), "commits");
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
    return new Result(batches.get(), scored.get(), rejected.get());
  }

  /** Whether the checkpoint's commit log holds the batch (it will not be replayed). */
  private static boolean committed(Configuration conf, Path commits, long batch)
      throws IOException {
    return commits.getFileSystem(conf).exists(new Path(commits, Long.toString(batch)));
  }

  /** Writes one batch's folder whole, replacing what an earlier attempt at the batch left. */
  private static void writeBatch(Configuration conf, String dir, long id, Dataset<Row> rows)
      throws IOException {
    AtomicOutput.write(conf, new Path(dir, BATCH + "=" + id).toString(), true,
        tmp -> rows.write().parquet(tmp.toString()));
  }
}
