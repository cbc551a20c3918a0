package org.sparklvm.jobs.cli;

import static org.sparklvm.core.settings.TaskSettings.SAMPLE_PARTITIONS;
import static org.sparklvm.core.settings.TaskSettings.SAMPLE_ROWS;
import static org.sparklvm.core.settings.TaskSettings.SAMPLE_SEED;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.settings.TaskSettings;
import org.sparklvm.jobs.gmm.MixtureKind;
import org.sparklvm.jobs.gmm.MixtureSampleJob;
import org.sparklvm.jobs.store.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lvm gmm sample}: distributed ancestral sampling. */
@Command(name = "sample", mixinStandardHelpOptions = true,
    modelTransformer = GmmSampleCommand.Declared.class,
    description = "Draw rows from a fitted mixture (Parquet, with the training feature columns).")
final class GmmSampleCommand implements Callable<Integer> {

  /** How many rows, their seed and partitions, from {@link TaskSettings}. */
  static final class Declared extends DeclaredOptions {
    Declared() {
      super(List.of(SAMPLE_ROWS, SAMPLE_SEED, SAMPLE_PARTITIONS), Set.of(SAMPLE_ROWS));
    }
  }

  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;
  @Mixin DryRunOption check;
  @Mixin OutputOptions out;

  @Mixin ModelOptions model;

  @Override
  public Integer call() throws Exception {
    long n = DeclaredOptions.value(spec, SAMPLE_ROWS);
    long seed = DeclaredOptions.value(spec, SAMPLE_SEED);
    Integer partitions = DeclaredOptions.value(spec, SAMPLE_PARTITIONS);
    SparkSession session = spark.session("lvm gmm sample");
    out.checkWritable(session);
    var stored = ModelStore.load(session, MixtureKind.INSTANCE, model.model);
    int parts = partitions != null ? partitions : session.sparkContext().defaultParallelism();
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
