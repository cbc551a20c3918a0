package org.sparklvm.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.vae.ImportanceSampler;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.store.StoredVae;
import org.sparklvm.jobs.store.VaeStore;
import org.sparklvm.jobs.vae.VaeScoreJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lvm vae score}: ELBO, its terms and the importance-sampled log-likelihood per row. */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = "Add elbo, reconstruction, kl, logLikelihood (importance-sampled) and anomaly to every"
        + " row.")
final class VaeScoreCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;
  @Mixin DryRunOption check;
  @Mixin InputOptions input;
  @Mixin OutputOptions out;

  @Mixin ModelOptions model;

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

  @Mixin AnomalyOption anomaly;

  @Override
  public Integer call() throws Exception {
    VaeScoreJob.ScoreOptions options;
    try {
      options = new VaeScoreJob.ScoreOptions(importanceSamples,
          ImportanceSampler.Proposal.valueOf(proposal.trim().toUpperCase(Locale.ROOT)),
          elboSamples, seed);
    } catch (IllegalArgumentException e) {
      throw new UserInputException("bad scoring option: " + e.getMessage()
          + " (--proposal is posterior or prior)", e);
    }
    SparkSession session = spark.session("lvm vae score");
    out.checkWritable(session);
    StoredVae stored = VaeStore.load(session, model.model);
    double threshold = anomaly.threshold(stored::anomalyThreshold);
    InputOptions.Table in = input.readForModel(session, stored.metadata());
    if (check.dryRun) {
      return CommandOutput.dryRun(spec.commandLine().getOut(), "vae score", out.output);
    }
    Dataset<Row> scored = VaeScoreJob.score(JavaSparkContext.fromSparkContext(
        session.sparkContext()), stored, in.rows(), in.columns(), options, threshold, in.spec().path());
    out.write(session, dir -> scored.write().parquet(dir.toString()));
    // Means per row, read back from what was written (scoring is not run twice).
    Row means = session.read().parquet(out.output)
        .selectExpr("avg(" + VaeScoreJob.ELBO + ")", "avg(" + VaeScoreJob.LOG_LIKELIHOOD + ")")
        .first();
    ObjectNode result = CommandOutput.result("vae score");
    result.put("output", out.output);
    result.put("importanceSamples", importanceSamples);
    result.put("meanElbo", means.getDouble(0));
    result.put("meanLogLikelihood", means.getDouble(1));
    anomaly.report(result, threshold);
    CommandOutput.print(spec.commandLine().getOut(), result);
    return 0;
  }
}
