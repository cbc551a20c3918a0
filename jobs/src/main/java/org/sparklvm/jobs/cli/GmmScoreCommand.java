package org.sparklvm.jobs.cli;

import static org.sparklvm.core.settings.TaskSettings.ANOMALY_QUANTILE;
import static org.sparklvm.core.settings.TaskSettings.STREAM_FILES_PER_BATCH;
import static org.sparklvm.core.settings.TaskSettings.STREAM_MAX_BATCHES;
import static org.sparklvm.core.settings.TaskSettings.STREAM_TRIGGER_SECONDS;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.gmm.MixtureKind;
import org.sparklvm.jobs.gmm.MixtureScorer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lvm gmm score}: per-row cluster, responsibilities, log p(x) and anomaly flag. */
@Command(name = "score", mixinStandardHelpOptions = true,
    modelTransformer = GmmScoreCommand.Declared.class,
    description = "Add prediction, probability, logLikelihood (log p(x)) and anomaly to every row;"
        + " writes Parquet. With --stream, keeps scoring the files that land in a directory.")
final class GmmScoreCommand extends ScoreCommand implements Callable<Integer> {

  /**
   * The anomaly quantile and the stream's options, from {@link
   * org.sparklvm.core.settings.TaskSettings}.
   */
  static final class Declared extends DeclaredOptions {
    Declared() {
      super(List.of(ANOMALY_QUANTILE, STREAM_MAX_BATCHES, STREAM_FILES_PER_BATCH,
          STREAM_TRIGGER_SECONDS), Set.of());
    }
  }

  @Option(names = "--stream", description = "Score the files of the --input directory as they land"
      + " (parquet or csv; the schema of the files there at start, else the model's feature"
      + " columns) into --output/batch=N, bad rows into --rejects, until stopped or --max-batches")
  boolean stream;

  @Mixin StreamSinkOptions sinks;

  @Override
  public Integer call() throws Exception {
    if (stream) {
      return runStream("gmm score", MixtureKind.INSTANCE,
          (session, stored) -> new MixtureScorer(stored.model()), sinks.sinks(out.output));
    }
    if (sinks.given()
        || DeclaredOptions.value(spec, STREAM_MAX_BATCHES) != null
        || DeclaredOptions.value(spec, STREAM_FILES_PER_BATCH) != null) {
      throw new UserInputException(
          "--max-batches, --files-per-batch, --checkpoint and --rejects go with --stream");
    }
    return run("gmm score", MixtureKind.INSTANCE,
        (session, stored) -> new MixtureScorer(stored.model()), result -> { });
  }
}
