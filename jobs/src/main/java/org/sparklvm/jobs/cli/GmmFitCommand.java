package org.sparklvm.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.jobs.gmm.MixtureFitJob;
import org.sparklvm.jobs.store.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lvm gmm fit}: fits a mixture and writes the model directory. */
@Command(name = "fit", mixinStandardHelpOptions = true,
    modelTransformer = GmmFitCommand.Declared.class,
    description = "Fit a Gaussian mixture by distributed EM and write the model directory.")
final class GmmFitCommand implements Callable<Integer> {

  /** Every setting of a mixture fit, from {@link EmSettings}; {@code --k} is asked for. */
  static final class Declared extends DeclaredOptions {
    Declared() {
      super(EmSettings.DECLARED, Set.of(EmSettings.K));
    }
  }

  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;
  @Mixin DryRunOption check;
  @Mixin InputOptions input;
  @Mixin OutputOptions out;

  @Override
  public Integer call() throws Exception {
    EmSettings settings = EmSettings.from(DeclaredOptions.of(spec));
    input.spec(); // checks the input options before Spark starts
    SparkSession session = spark.session("lvm gmm fit");
    out.checkWritable(session);
    InputOptions.Table in = input.read(session);
    if (check.dryRun) {
      return CommandOutput.dryRun(spec.commandLine().getOut(), "gmm fit", out.output);
    }
    var model = MixtureFitJob.fit(session, in.rows(), in.columns(), settings, in.spec().path());
    ModelStore.save(session, model, out.output, out.overwrite);
    ObjectNode result = CommandOutput.result("gmm fit");
    result.put("output", out.output);
    result.setAll(model.metadata().summary().deepCopy()
        .retain("iterations", "converged", "meanLogLikelihood", "bic", "aic", "rows"));
    CommandOutput.print(spec.commandLine().getOut(), result);
    return 0;
  }
}
