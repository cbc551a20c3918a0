package org.sparklvm.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.jobs.gmm.MixtureScoreJob;
import org.sparklvm.jobs.store.MixtureStore;
import org.sparklvm.jobs.store.StoredMixture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lvm gmm score}: per-row cluster, responsibilities, log-density and anomaly flag. */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = "Add prediction, probability, logDensity (and anomaly) to every row; writes Parquet.")
final class GmmScoreCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;
  @Mixin DryRunOption check;
  @Mixin InputOptions input;
  @Mixin OutputOptions out;

  @Mixin ModelOptions model;

  @Mixin AnomalyOption anomaly;

  @Override
  public Integer call() throws Exception {
    input.spec(); // checks the input options before Spark starts
    SparkSession session = spark.session("lvm gmm score");
    out.checkWritable(session);
    StoredMixture stored = MixtureStore.load(session, model.model);
    double threshold = anomaly.threshold(stored::anomalyThreshold);
    InputOptions.Table table = input.readForModel(session, stored.metadata());
    if (check.dryRun) {
      return CommandOutput.dryRun(spec.commandLine().getOut(), "gmm score", out.output);
    }
    Dataset<Row> scored = MixtureScoreJob.score(table.rows(), table.columns(), stored.model(),
        threshold, table.spec().path());
    out.write(session, dir -> scored.write().parquet(dir.toString()));
    ObjectNode result = CommandOutput.result("gmm score");
    result.put("output", out.output);
    anomaly.report(result, threshold);
    CommandOutput.print(spec.commandLine().getOut(), result);
    return 0;
  }
}
