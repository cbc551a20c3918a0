package org.sparklvm.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.gmm.MixtureKind;
import org.sparklvm.jobs.gmm.MixtureSampleJob;
import org.sparklvm.jobs.store.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lvm gmm sample}: distributed ancestral sampling. */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Draw rows from a fitted mixture (Parquet, with the training feature columns).")
final class GmmSampleCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;
  @Mixin DryRunOption check;
  @Mixin OutputOptions out;

  @Mixin ModelOptions model;

  @Option(names = "--n", required = true, description = "Rows to draw")
  long n;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default 42)")
  long seed;

  @Option(names = "--partitions", description = "Output partitions (default: Spark's parallelism)")
  Integer partitions;

  @Override
  public Integer call() throws Exception {
    if (n < 0) {
      throw new UserInputException("--n must be >= 0, got " + n);
    }
    SparkSession session = spark.session("lvm gmm sample");
    out.checkWritable(session);
    var stored = ModelStore.load(session, MixtureKind.INSTANCE, model.model);
    int parts = partitions != null ? partitions : session.sparkContext().defaultParallelism();
    if (parts < 1) {
      throw new UserInputException("--partitions must be >= 1, got " + parts);
    }
    if (check.dryRun) {
      return CommandOutput.dryRun(spec.commandLine().getOut(), "gmm sample", out.output);
    }
    List<String> cols = stored.featureCols();
    String vector = cols.isEmpty() ? Objects.requireNonNullElse(stored.featuresCol(), "features")
        : null;
    out.write(session, dir -> MixtureSampleJob.sample(session, stored.model(), n, seed, parts,
        vector, cols).write().parquet(dir.toString()));
    ObjectNode result = CommandOutput.result("gmm sample");
    result.put("output", out.output);
    result.put("rows", n);
    CommandOutput.print(spec.commandLine().getOut(), result);
    return 0;
  }
}
