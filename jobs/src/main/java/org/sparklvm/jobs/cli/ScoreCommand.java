package org.sparklvm.jobs.cli;

import static org.sparklvm.core.settings.TaskSettings.ANOMALY_QUANTILE;
import static org.sparklvm.core.settings.TaskSettings.STREAM_FILES_PER_BATCH;
import static org.sparklvm.core.settings.TaskSettings.STREAM_MAX_BATCHES;
import static org.sparklvm.core.settings.TaskSettings.STREAM_TRIGGER_SECONDS;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.model.ModelMetadata;
import org.sparklvm.core.model.ModelSummary;
import org.sparklvm.core.settings.TaskSettings;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.data.DataReader;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.InputSpec;
import org.sparklvm.jobs.score.RowScorer;
import org.sparklvm.jobs.score.ScoreJob;
import org.sparklvm.jobs.score.StreamBatches;
import org.sparklvm.jobs.score.StreamScoreJob;
import org.sparklvm.jobs.store.ModelKind;
import org.sparklvm.jobs.store.ModelStore;
import org.sparklvm.jobs.store.StoredModel;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The skeleton of every kind's {@code score} command: load the model, check the output and the
 * input before any work, score every row ({@link ScoreJob}), flag anomalies when {@code
 * --anomaly-quantile} is given, write the table atomically, and report the mean log p(x) of what was
 * written (read back: scoring is not run twice). A subclass declares {@link
 * TaskSettings#ANOMALY_QUANTILE} among its options.
 */
abstract class ScoreCommand {

  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;
  @Mixin DryRunOption check;
  @Mixin InputOptions input;
  @Mixin OutputOptions out;
  @Mixin ModelOptions model;

  /**
   * @param name the command, e.g. {@code gmm score}
   * @param scorerOf the kind's scorer of a loaded model
   * @param report adds the kind's own fields to the result line
   * @param means more columns whose mean the result line reports, as pairs of the field and the
   *     column ({@code "meanElbo", "elbo"})
   */
  <M, S extends ModelSummary> int run(String name, ModelKind<M, S> kind,
      BiFunction<SparkSession, StoredModel<M, S>, RowScorer> scorerOf,
      Consumer<ObjectNode> report, String... means) throws Exception {
    input.spec(); // checks the input options before Spark starts
    SparkSession session = spark.session("lvm " + name);
    out.checkWritable(session);
    StoredModel<M, S> stored = ModelStore.load(session, kind, model.model);
    Double quantile = DeclaredOptions.value(spec, ANOMALY_QUANTILE);
    double threshold = quantile == null ? Double.NaN : stored.anomalyThreshold(quantile);
    InputOptions.Table in = input.readForModel(session, stored.metadata());
    if (check.dryRun) {
      return CommandOutput.dryRun(spec.commandLine().getOut(), name, out.output);
    }
    RowScorer scorer = scorerOf.apply(session, stored);
    try {
      Dataset<Row> scored =
          ScoreJob.score(in.rows(), in.columns(), scorer, threshold, in.spec().path());
      out.write(session, dir -> scored.write().parquet(dir.toString()));
    } finally {
      if (scorer instanceof AutoCloseable c) {
        c.close();
      }
    }
    ObjectNode result = CommandOutput.result(name);
    result.put("output", out.output);
    String[] averages = new String[means.length / 2 + 1];
    averages[0] = "avg(" + ScoreJob.LOG_LIKELIHOOD + ")";
    for (int i = 0; i < means.length / 2; i++) {
      averages[i + 1] = "avg(" + means[2 * i + 1] + ")";
    }
    Row mean = session.read().parquet(out.output).selectExpr(averages).first();
    result.put("meanLogLikelihood", mean.isNullAt(0) ? Double.NaN : mean.getDouble(0));
    for (int i = 0; i < means.length / 2; i++) {
      result.put(means[2 * i], mean.isNullAt(i + 1) ? Double.NaN : mean.getDouble(i + 1));
    }
    report.accept(result);
    if (quantile != null) {
      result.put("anomalyThreshold", threshold);
    }
    CommandOutput.print(spec.commandLine().getOut(), result);
    return 0;
  }

  /**
   * The streamed score: the input directory's files as they land ({@link DataReader#readStream}),
   * scored micro-batch by micro-batch ({@link StreamScoreJob}) until stopped or until {@link
   * TaskSettings#STREAM_MAX_BATCHES} batches are done. An output whose checkpoint exists is
   * continued; one without is refused unless {@code --overwrite}, which also clears the rejects and
   * the checkpoint. A subclass declares the three {@code STREAM_*} settings.
   *
   * @param sinks the output, the rejects and the checkpoint
   */
  <M, S extends ModelSummary> int runStream(String name, ModelKind<M, S> kind,
      BiFunction<SparkSession, StoredModel<M, S>, RowScorer> scorerOf, StreamBatches.Sinks sinks)
      throws Exception {
    InputSpec in = input.spec();
    if (in.weightCol() != null) {
      throw new UserInputException("scoring takes no --weight-col");
    }
    SparkSession session = spark.session("lvm " + name);
    Configuration conf = session.sparkContext().hadoopConfiguration();
    StreamBatches.prepare(conf, sinks, out.overwrite);
    StoredModel<M, S> stored = ModelStore.load(session, kind, model.model);
    Double quantile = DeclaredOptions.value(spec, ANOMALY_QUANTILE);
    double threshold = quantile == null ? Double.NaN : stored.anomalyThreshold(quantile);
    ModelMetadata m = stored.metadata();
    StreamInput opened = StreamInput.open(session, in, m.featuresCol(), m.featureCols(),
        DeclaredOptions.value(spec, STREAM_FILES_PER_BATCH));
    Dataset<Row> stream = opened.stream();
    FeatureColumns columns = opened.columns();
    if (check.dryRun) {
      return CommandOutput.dryRun(spec.commandLine().getOut(), name, out.output);
    }
    if (out.overwrite) {
      StreamBatches.clear(conf, sinks);
    }
    RowScorer scorer = scorerOf.apply(session, stored);
    StreamScoreJob.Result done;
    try {
      done = StreamScoreJob.run(stream, columns, scorer, threshold, sinks,
          DeclaredOptions.value(spec, STREAM_MAX_BATCHES),
          Math.round(1000 * DeclaredOptions.value(spec, STREAM_TRIGGER_SECONDS)), conf);
    } finally {
      if (scorer instanceof AutoCloseable c) {
        c.close();
      }
    }
    ObjectNode result = CommandOutput.result(name);
    result.put("output", sinks.output());
    result.put("rejects", sinks.rejects());
    result.put("checkpoint", sinks.checkpoint());
    result.put("batches", done.batches());
    result.put("rowsScored", done.rows());
    result.put("rowsRejected", done.rejected());
    if (quantile != null) {
      result.put("anomalyThreshold", threshold);
    }
    CommandOutput.print(spec.commandLine().getOut(), result);
    return 0;
  }
}
