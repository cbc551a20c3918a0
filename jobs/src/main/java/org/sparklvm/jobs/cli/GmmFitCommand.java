package org.sparklvm.jobs.cli;

import static org.sparklvm.core.settings.TaskSettings.STREAM_FILES_PER_BATCH;
import static org.sparklvm.core.settings.TaskSettings.STREAM_MAX_BATCHES;
import static org.sparklvm.core.settings.TaskSettings.STREAM_PUBLISH_EVERY;
import static org.sparklvm.core.settings.TaskSettings.STREAM_TRIGGER_SECONDS;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.OnlineSettings;
import org.sparklvm.core.gmm.PriorSettings;
import org.sparklvm.core.settings.Setting;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.data.DataReader;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.InputSpec;
import org.sparklvm.jobs.gmm.MixtureFitJob;
import org.sparklvm.jobs.gmm.OnlineStreamFitJob;
import org.sparklvm.jobs.gmm.VariationalMixtureFitJob;
import org.sparklvm.jobs.gmm.WarmStart;
import org.sparklvm.jobs.score.StreamBatches;
import org.sparklvm.jobs.store.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lvm gmm fit}: fits a mixture and writes the model directory. */
@Command(name = "fit", mixinStandardHelpOptions = true,
    modelTransformer = GmmFitCommand.Declared.class,
    description = "Fit a Gaussian mixture by distributed EM (or, with --prior, variational Bayes)"
        + " and write the model directory.")
final class GmmFitCommand implements Callable<Integer> {

  static final String INIT_MODEL = "--init-model";
  static final String INIT_MODEL_IF_EXISTS = "--init-model-if-exists";

  private static final Logger LOG = LoggerFactory.getLogger(GmmFitCommand.class);

  /**
   * Every setting of a mixture fit, from {@link EmSettings}, of online EM, from {@link
   * OnlineSettings}, of a streamed fit, from {@link TaskSettings}, and of a variational Bayesian
   * fit, from {@link PriorSettings}; {@code --k} is asked for unless {@code --init-model} gives it.
   */
  static final class Declared extends DeclaredOptions {
    Declared() {
      super(Stream.of(EmSettings.DECLARED, OnlineSettings.DECLARED, STREAM_DECLARED,
              PriorSettings.DECLARED)
          .flatMap(List::stream).toList(), Set.of(), Set.of(), Map.of(EmSettings.K, INIT_MODEL));
    }
  }

  /** The options of {@code --stream}. */
  static final List<Setting<?>> STREAM_DECLARED = List.of(STREAM_MAX_BATCHES,
      STREAM_FILES_PER_BATCH, STREAM_TRIGGER_SECONDS, STREAM_PUBLISH_EVERY);

  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;
  @Mixin DryRunOption check;
  @Mixin InputOptions input;
  @Mixin OutputOptions out;

  @Option(names = INIT_MODEL, paramLabel = "<model>", description = "Start EM from this fitted"
      + " mixture (run once; k, covariance type and feature columns are the model's)")
  String initModel;

  @Option(names = "--online", description = "Online (stepwise) EM for data beyond the cluster's"
      + " memory: the rows are read in random mini-batches of --batch-rows, never cached, the"
      + " statistics a running average with steps (t + 2)^-a (--step-decay a), the M-step after"
      + " each mini-batch, for at most --max-passes passes or until a pass gains less than --tol")
  boolean online;

  @Option(names = INIT_MODEL_IF_EXISTS, paramLabel = "<model>", description = "As " + INIT_MODEL
      + " when the path exists, otherwise a cold start (the result's \"start\" says which)")
  String initModelIfExists;

  @Option(names = "--stream", description = "With --online: follow the --input directory (parquet"
      + " or csv files as they land, as gmm score --stream reads them), one online EM step per"
      + " micro-batch, and publish the model as OUTPUT/v000001, v000002, ... after every"
      + " --publish-every micro-batches, until stopped or --max-batches; a restart continues from"
      + " the checkpoint and the newest version")
  boolean stream;

  @Mixin StreamSinkOptions sinkOptions;

  @Override
  public Integer call() throws Exception {
    if (initModel != null && initModelIfExists != null) {
      throw new ParameterException(spec.commandLine(),
          INIT_MODEL + " and " + INIT_MODEL_IF_EXISTS + " are mutually exclusive");
    }
    Setting.Values values = DeclaredOptions.of(spec);
    if (!online && OnlineSettings.DECLARED.stream()
        .anyMatch(s -> DeclaredOptions.given(spec, s) != null)) {
      throw new ParameterException(spec.commandLine(),
          "--batch-rows, --step-decay and --max-passes go with --online");
    }
    if (stream && !online) {
      throw new ParameterException(spec.commandLine(), "--stream goes with --online");
    }
    if (!stream && (sinkOptions.given() || STREAM_DECLARED.stream()
        .anyMatch(s -> DeclaredOptions.given(spec, s) != null))) {
      throw new ParameterException(spec.commandLine(), "--max-batches, --files-per-batch,"
          + " --trigger-seconds, --publish-every, --checkpoint and --rejects go with --stream");
    }
    if (stream && (DeclaredOptions.given(spec, OnlineSettings.BATCH_ROWS) != null
        || DeclaredOptions.given(spec, OnlineSettings.MAX_PASSES) != null)) {
      throw new ParameterException(spec.commandLine(), "--batch-rows and --max-passes do not go"
          + " with --stream: a micro-batch is what --files-per-batch lets in, each seen once");
    }
    PriorSettings prior = prior(values);
    if (stream) {
      return runStream(values);
    }
    InputSpec inputSpec = input.spec(); // checks the input options before Spark starts
    SparkSession session = spark.session("lvm gmm fit");
    out.checkWritable(session);
    WarmStart start = initModel != null ? WarmStart.load(session, INIT_MODEL, initModel)
        : initModelIfExists != null
            ? WarmStart.loadIfExists(session, INIT_MODEL_IF_EXISTS, initModelIfExists) : null;
    EmSettings settings = start == null ? EmSettings.from(values)
        : start.settings(values, DeclaredOptions.given(spec, EmSettings.K),
            DeclaredOptions.given(spec, EmSettings.COVARIANCE));
    if (initModelIfExists != null) {
      LOG.info("gmm fit: {} start{}", start != null ? "warm" : "cold", start != null
          ? " from " + start.origin() : ", " + initModelIfExists + " does not exist");
    }
    Dataset<Row> rows = DataReader.read(session, inputSpec);
    FeatureColumns columns = columns(rows, inputSpec, start);
    if (check.dryRun) {
      return CommandOutput.dryRun(spec.commandLine().getOut(), "gmm fit", out.output);
    }
    var model = prior != null
        ? VariationalMixtureFitJob.fit(session, rows, columns, settings, prior, inputSpec.path())
        : online
            ? MixtureFitJob.fitOnline(session, rows, columns, settings,
                OnlineSettings.from(values), inputSpec.path(), start)
            : MixtureFitJob.fit(session, rows, columns, settings, inputSpec.path(), start);
    ModelStore.save(session, model, out.output, out.overwrite);
    ObjectNode result = CommandOutput.result("gmm fit");
    result.put("output", out.output);
    result.put("start", start != null ? "warm" : "cold");
    if (online) {
      result.put("online", true);
    }
    if (prior != null) {
      result.put("prior", prior.weightPrior().id());
    }
    if (start != null) {
      result.put("initModel", start.origin());
    }
    result.setAll(model.metadata().summary().deepCopy()
        .retain("iterations", "converged", "meanLogLikelihood", "bic", "aic", "rows", "lowerBound",
            "effectiveComponents"));
    CommandOutput.print(spec.commandLine().getOut(), result);
    return 0;
  }

  /**
   * {@code --online --stream}: the input directory followed micro-batch by micro-batch ({@link
   * OnlineStreamFitJob}). An output whose checkpoint exists is continued from its newest version;
   * one without is refused unless {@code --overwrite}, which also clears the rejects and the
   * checkpoint.
   */
  private int runStream(Setting.Values values) throws Exception {
    InputSpec inputSpec = input.spec();
    SparkSession session = spark.session("lvm gmm fit");
    Configuration conf = session.sparkContext().hadoopConfiguration();
    StreamBatches.Sinks sinks = sinkOptions.sinks(out.output);
    StreamBatches.prepare(conf, sinks, out.overwrite);
    WarmStart given = initModel != null ? WarmStart.load(session, INIT_MODEL, initModel)
        : initModelIfExists != null
            ? WarmStart.loadIfExists(session, INIT_MODEL_IF_EXISTS, initModelIfExists) : null;
    OnlineStreamFitJob.Resume resume = out.overwrite ? OnlineStreamFitJob.Resume.fresh(given)
        : OnlineStreamFitJob.resume(session, out.output, given);
    WarmStart start = resume.start();
    EmSettings settings = start == null ? EmSettings.from(values)
        : start.settings(values, DeclaredOptions.given(spec, EmSettings.K),
            DeclaredOptions.given(spec, EmSettings.COVARIANCE));
    StreamInput in = StreamInput.open(session, inputSpec,
        start != null ? start.featuresCol() : null,
        start != null ? start.featureCols() : List.of(),
        DeclaredOptions.value(spec, STREAM_FILES_PER_BATCH));
    FeatureColumns columns = in.columns();
    int dim;
    if (start != null) {
      start.checkColumns(columns);
      dim = start.model().dim();
    } else if (columns.vectorColumn() == null) {
      dim = columns.numericColumns().size();
    } else {
      throw new UserInputException("a streamed fit from a vector column needs " + INIT_MODEL
          + " (the dimension of every row must be known before the first one)");
    }
    if (check.dryRun) {
      return CommandOutput.dryRun(spec.commandLine().getOut(), "gmm fit", out.output);
    }
    if (out.overwrite) {
      StreamBatches.clear(conf, sinks);
    }
    OnlineStreamFitJob.Result done = OnlineStreamFitJob.run(session, in.stream(), columns, dim,
        settings, OnlineSettings.from(values), resume,
        DeclaredOptions.value(spec, STREAM_PUBLISH_EVERY), sinks,
        DeclaredOptions.value(spec, STREAM_MAX_BATCHES),
        Math.round(1000 * DeclaredOptions.value(spec, STREAM_TRIGGER_SECONDS)), inputSpec.path());
    ObjectNode result = CommandOutput.result("gmm fit");
    result.put("output", sinks.output());
    result.put("rejects", sinks.rejects());
    result.put("checkpoint", sinks.checkpoint());
    result.put("start", start != null ? "warm" : "cold");
    if (start != null) {
      result.put("initModel", start.origin());
    }
    result.put("online", true);
    result.put("stream", true);
    result.put("batches", done.batches());
    result.put("rows", done.rows());
    result.put("rowsRejected", done.rejected());
    result.put("versions", done.versions());
    if (done.latest() != null) {
      result.put("latest", done.latest());
    }
    CommandOutput.print(spec.commandLine().getOut(), result);
    return 0;
  }

  /**
   * The prior asked for, or null for an EM fit; a variational fit is batch only and starts from
   * k-means++ (for now).
   *
   * @throws ParameterException when the prior's options come without {@code --prior}, or {@code
   *     --prior} with {@code --online}, {@code --stream} or a starting model
   */
  private PriorSettings prior(Setting.Values values) {
    PriorSettings prior;
    try {
      prior = PriorSettings.from(values);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (prior != null && (online || stream)) {
      throw new ParameterException(spec.commandLine(), PriorSettings.PRIOR.option()
          + " does not go with --online or --stream: a variational fit reads all rows each pass");
    }
    if (prior != null && (initModel != null || initModelIfExists != null)) {
      throw new ParameterException(spec.commandLine(), PriorSettings.PRIOR.option()
          + " does not go with " + INIT_MODEL + " or " + INIT_MODEL_IF_EXISTS
          + ": a variational fit starts from k-means++");
    }
    return prior;
  }

  /**
   * The feature columns named on the command line, or else those of the starting model (every column
   * or {@code features} for a cold start), checked against the model's dimension.
   */
  private static FeatureColumns columns(Dataset<Row> rows, InputSpec in, WarmStart start) {
    boolean named = in.featuresCol() != null || !in.featureCols().isEmpty();
    FeatureColumns columns = start == null || named
        ? FeatureColumns.resolve(rows.schema(), in.featuresCol(), in.featureCols(), in.weightCol())
        : FeatureColumns.resolve(rows.schema(), start.featuresCol(),
            start.featureCols(), in.weightCol());
    if (start != null) {
      start.checkColumns(columns);
    }
    return columns;
  }
}
