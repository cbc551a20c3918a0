package org.sparklvm.jobs.score;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklvm.jobs.data.DataReader;
import org.sparklvm.jobs.data.FeatureColumns;

/**
 * Scores a stream of rows micro-batch by micro-batch: each batch's rows are checked one by one
 * ({@link StreamBatches}: {@link RowCheck}, the batch check's reasons), the good ones scored by
 * {@link ScoreJob#transform} and written to {@code output/batch=N}, the bad ones written with their {@value #REASON} and
 * {@value #INPUT_FILE} to {@code rejects/batch=N}.
 *
 * <p>Delivery: Spark's checkpoint replays a micro-batch that was not committed (a crash, a stop
 * mid-batch) under the same batch id, and each batch's folder is written whole to a hidden sibling
 * and renamed into place, replacing what an earlier attempt left; so a reader of {@code output} (which
 * skips hidden folders) sees every row of every committed batch exactly once.
 */
public final class StreamScoreJob {

  /** Why a rejected row could not be scored. */
  public static final String REASON = StreamBatches.REASON;
  /** The file a rejected row came from. */
  public static final String INPUT_FILE = StreamBatches.INPUT_FILE;
  /** The partition folder of a micro-batch, {@code batch=N}. */
  public static final String BATCH = StreamBatches.BATCH;

  private static final Logger LOG = LoggerFactory.getLogger(StreamScoreJob.class);

  private StreamScoreJob() {}

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
      double anomalyThreshold, StreamBatches.Sinks sinks, Integer maxBatches, long triggerMillis,
      Configuration conf) throws StreamingQueryException, TimeoutException, IOException {
    StructType schema = stream.schema();
    // Refuses, before the query starts, an input that already has a column the job adds.
    StructType plain = new StructType();
    for (StructField f : schema.fields()) {
      if (!f.name().equals(DataReader.CORRUPT_RECORD)) {
        plain = plain.add(f);
      }
    }
    ScoreJob.outputSchema(plain, scorer.columns(), !Double.isNaN(anomalyThreshold));
    StreamBatches batches = new StreamBatches(schema, scorer.constrain(columns), scorer.dim());
    AtomicLong done = new AtomicLong();
    AtomicLong scored = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    StreamBatches.Handler perBatch = (batch, id) -> {
      long all = batch.all().count();
      long nBad = batch.bad().count();
      StreamBatches.writeBatch(conf, sinks.output(), id,
          ScoreJob.transform(batch.good(), columns, scorer, anomalyThreshold));
      if (nBad > 0) {
        StreamBatches.writeBatch(conf, sinks.rejects(), id, batch.bad());
      }
      scored.addAndGet(all - nBad);
      rejected.addAndGet(nBad);
      LOG.info("stream: batch {} ({} of {}): {} rows scored, {} rejected", id,
          done.incrementAndGet(), maxBatches == null ? "unbounded" : maxBatches, all - nBad, nBad);
    };
    long n = batches.run(stream, sinks.checkpoint(), perBatch, maxBatches, triggerMillis, conf);
    return new Result(n, scored.get(), rejected.get());
  }
}
