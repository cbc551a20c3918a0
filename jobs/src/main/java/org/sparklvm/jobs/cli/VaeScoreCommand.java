package org.sparklvm.jobs.cli;

import static org.sparklvm.core.settings.TaskSettings.ANOMALY_QUANTILE;
import static org.sparklvm.core.settings.TaskSettings.SCORE_ELBO_SAMPLES;
import static org.sparklvm.core.settings.TaskSettings.SCORE_IMPORTANCE_SAMPLES;
import static org.sparklvm.core.settings.TaskSettings.SCORE_PROPOSAL;
import static org.sparklvm.core.settings.TaskSettings.SCORE_SEED;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparklvm.core.vae.ImportanceSampler;
import org.sparklvm.core.vae.RefinementSettings;
import org.sparklvm.jobs.vae.VaeKind;
import org.sparklvm.jobs.vae.VaeScorer;
import picocli.CommandLine.Command;

/** {@code lvm vae score}: ELBO, its terms and the importance-sampled log-likelihood per row. */
@Command(name = "score", mixinStandardHelpOptions = true,
    modelTransformer = VaeScoreCommand.Declared.class,
    description = "Add elbo, reconstruction, kl, logLikelihood (importance-sampled) and anomaly to every"
        + " row; with --refine-steps, each row's q(z|x) is refined on its own ELBO first.")
final class VaeScoreCommand extends ScoreCommand implements Callable<Integer> {

  /** The estimators' draws and the anomaly quantile, from {@link org.sparklvm.core.settings.TaskSettings}. */
  static final class Declared extends DeclaredOptions {
    Declared() {
      super(Stream.concat(Stream.of(SCORE_IMPORTANCE_SAMPLES, SCORE_PROPOSAL, SCORE_ELBO_SAMPLES,
          SCORE_SEED, ANOMALY_QUANTILE), RefinementSettings.DECLARED.stream()).toList(), Set.of());
    }
  }

  @Override
  public Integer call() throws Exception {
    int importanceSamples = DeclaredOptions.value(spec, SCORE_IMPORTANCE_SAMPLES);
    VaeScorer.Options options = new VaeScorer.Options(importanceSamples,
        ImportanceSampler.Proposal.valueOf(
            DeclaredOptions.value(spec, SCORE_PROPOSAL).toUpperCase(Locale.ROOT)),
        DeclaredOptions.value(spec, SCORE_ELBO_SAMPLES), DeclaredOptions.value(spec, SCORE_SEED),
        RefinementSettings.from(DeclaredOptions.of(spec)));
    return run("vae score", VaeKind.INSTANCE, (session, stored) -> new VaeScorer(
        JavaSparkContext.fromSparkContext(session.sparkContext()), stored.model(), options),
        result -> result.put("importanceSamples", importanceSamples)
            .put("refineSteps", options.refinement().steps()), "meanElbo", VaeScorer.ELBO);
  }
}
