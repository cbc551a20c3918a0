package org.sparklvm.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.jobs.store.ModelStore;
import org.sparklvm.jobs.vae.VaeKind;
import org.sparklvm.jobs.vae.VaeScorer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lvm vae encode}: the latent code of every row. */
@Command(name = "encode", mixinStandardHelpOptions = true,
    description = "Add zMean and zLogVar (the encoder's q(z|x)) to every row; writes Parquet.")
final class VaeEncodeCommand implements Callable<Integer> {

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
        session.sparkContext()), stored.model(), VaeScorer.Options.ENCODE_ONLY)) {
      Dataset<Row> encoded = scorer.encode(in.rows(), in.columns(), in.spec().path());
      out.write(session, dir -> encoded.write().parquet(dir.toString()));
    }
    ObjectNode result = CommandOutput.result("vae encode");
    result.put("output", out.output);
    CommandOutput.print(spec.commandLine().getOut(), result);
    return 0;
  }
}
