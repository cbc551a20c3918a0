package org.sparklvm.jobs.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparklvm.core.vae.ImportanceSampler;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.vae.VaeKind;
import org.sparklvm.jobs.vae.VaeScorer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lvm vae score}: ELBO, its terms and the importance-sampled log-likelihood per row. */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = "Add elbo, reconstruction, kl, logLikelihood (importance-sampled) and anomaly to every"
        + " row.")
final class VaeScoreCommand extends ScoreCommand implements Callable<Integer> {

  @Option(names = "--importance-samples", defaultValue = "1000",
      description = "K draws per row for logLikelihood (default 1000)")
  int importanceSamples;

  @Option(names = "--proposal", defaultValue = "posterior",
      description = "posterior (q(z|x), the IWAE estimate) or prior (naive Monte Carlo)")
  String proposal;

  @Option(names = "--elbo-samples", defaultValue = "10",
      description = "Draws per row for the ELBO's reconstruction term (default 10)")
  int elboSamples;

  @Option(names = "--seed", defaultValue = "42") long seed;

  @Override
  public Integer call() throws Exception {
    VaeScorer.Options options;
    try {
      options = new VaeScorer.Options(importanceSamples,
          ImportanceSampler.Proposal.valueOf(proposal.trim().toUpperCase(Locale.ROOT)),
          elboSamples, seed);
    } catch (IllegalArgumentException e) {
      throw new UserInputException("bad scoring option: " + e.getMessage()
          + " (--proposal is posterior or prior)", e);
    }
    return run("vae score", VaeKind.INSTANCE, (session, stored) -> new VaeScorer(
        JavaSparkContext.fromSparkContext(session.sparkContext()), stored.model(), options),
        result -> result.put("importanceSamples", importanceSamples), "meanElbo", VaeScorer.ELBO);
  }
}
