package org.sparklvm.jobs.cli;

import static org.sparklvm.core.settings.TaskSettings.ANOMALY_QUANTILE;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.sparklvm.jobs.gmm.MixtureKind;
import org.sparklvm.jobs.gmm.MixtureScorer;
import picocli.CommandLine.Command;

/** {@code lvm gmm score}: per-row cluster, responsibilities, log p(x) and anomaly flag. */
@Command(name = "score", mixinStandardHelpOptions = true,
    modelTransformer = GmmScoreCommand.Declared.class,
    description = "Add prediction, probability, logLikelihood (log p(x)) and anomaly to every row;"
        + " writes Parquet.")
final class GmmScoreCommand extends ScoreCommand implements Callable<Integer> {

  /** The anomaly quantile, from {@link org.sparklvm.core.settings.TaskSettings}. */
  static final class Declared extends DeclaredOptions {
    Declared() {
      super(List.of(ANOMALY_QUANTILE), Set.of());
    }
  }

  @Override
  public Integer call() throws Exception {
    return run("gmm score", MixtureKind.INSTANCE,
        (session, stored) -> new MixtureScorer(stored.model()), result -> { });
  }
}
