package org.sparklvm.jobs.cli;

import static org.sparklvm.core.settings.TaskSettings.ANOMALY_QUANTILE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.model.ModelSummary;
import org.sparklvm.core.settings.TaskSettings;
import org.sparklvm.jobs.score.RowScorer;
import org.sparklvm.jobs.score.ScoreJob;
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
}
