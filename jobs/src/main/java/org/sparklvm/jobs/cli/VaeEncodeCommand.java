package org.sparklvm.jobs.cli;

import static org.sparklvm.core.settings.TaskSettings.SCORE_SEED;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.vae.RefinementSettings;
import org.sparklvm.jobs.store.ModelStore;
import org.sparklvm.jobs.vae.VaeKind;
import org.sparklvm.jobs.vae.VaeScorer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lvm vae encode}: the latent code of every row. */
@Command(name = "encode", mixinStandardHelpOptions = true,
    modelTransformer = VaeEncodeCommand.Declared.class,
    description = "Add zMean and zLogVar (the encoder's q(z|x), or with --refine-steps each row's"
        + " q refined on its own ELBO) to every row; writes Parquet.")
final class VaeEncodeCommand implements Callable<Integer> {

  /** The refinement of q(z|x) and the seed of its draws. */
  static final class Declared extends DeclaredOptions {
    Declared() {
      super(Stream.concat(RefinementSettings.DECLARED.stream(), Stream.of(SCORE_SEED)).toList(),
          Set.of());
    }
  }

  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;
  @Mixin DryRunOption check;
  @Mixin InputOptions input;
  @Mixin OutputOptions out;

  @Mixin ModelOptions model;

  @Override
  public Integer call() throws Exception {
    SparkSession session = spark.session("lvm vae encode");
    out.checkWritable(session);
    var stored = ModelStore.load(session, VaeKind.INSTANCE, model.model);
    InputOptions.Table in = input.readForModel(session, stored.metadata());
    if (check.dryRun) {
      return CommandOutput.dryRun(spec.commandLine().getOut(), "vae encode", out.output);
    }
    try (VaeScorer scorer = new VaeScorer(JavaSparkContext.fromSparkContext(
        session.sparkContext()), stored.model(), VaeScorer.Options.encoding(
            DeclaredOptions.value(spec, SCORE_SEED), RefinementSettings.from(DeclaredOptions.of(spec))))) {
      Dataset<Row> encoded = scorer.encode(in.rows(), in.columns(), in.spec().path());
      out.write(session, dir -> encoded.write().parquet(dir.toString()));
    }
    ObjectNode result = CommandOutput.result("vae encode");
    result.put("output", out.output);
    CommandOutput.print(spec.commandLine().getOut(), result);
    return 0;
  }
}
