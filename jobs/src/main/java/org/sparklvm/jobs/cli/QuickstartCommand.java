package org.sparklvm.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.jobs.bench.MixtureBenchmark;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.gmm.MixtureFitJob;
import org.sparklvm.jobs.gmm.MixtureSampleJob;
import org.sparklvm.jobs.store.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lvm quickstart}: a demo dataset, a fitted mixture, and where they are. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
    description = "Make a demo dataset, fit a mixture on it, write the model and print where.")
final class QuickstartCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;

  @Option(names = "--dir", defaultValue = "lvm-quickstart",
      description = "Folder for the data and the model (default ./lvm-quickstart)")
  Path dir;

  @Override
  public Integer call() throws Exception {
    SparkSession session = spark.session("lvm quickstart");
    Path root = dir.toAbsolutePath();
    String data = root.resolve("data.parquet").toUri().toString();
    String model = root.resolve("model").toUri().toString();
    GaussianMixtureModel planted = MixtureBenchmark.plantedMixture(4, 3, new Random(7));
    MixtureSampleJob.sample(session, planted, 20_000, 7, 2, null, List.of("x", "y", "z"))
        .drop(MixtureSampleJob.COMPONENT).write().mode("overwrite").parquet(data);
    Dataset<Row> table = session.read().parquet(data);
    FeatureColumns columns = FeatureColumns.resolve(table.schema(), null, List.of(), null);
    EmSettings settings = new EmSettings(4, CovarianceType.FULL, 200, 1e-4, 1e-6,
        EmSettings.Initialization.KMEANS_PLUS_PLUS, 3, 7);
    var fitted = MixtureFitJob.fit(session, table, columns, settings, data);
    ModelStore.save(session, fitted, model, true);
    spec.commandLine().getOut().printf("quickstart: fitted a 4-component mixture to %s%n"
        + "  data:  %s%n  model: %s (metadata.json, components/, plots/*.png)%n", data, data,
        model);
    ObjectNode result = CommandOutput.result("quickstart");
    result.put("data", data);
    result.put("output", model);
    result.setAll(fitted.metadata().summary().deepCopy()
        .retain("iterations", "converged", "meanLogLikelihood", "bic", "rows"));
    CommandOutput.print(spec.commandLine().getOut(), result);
    return 0;
  }
}
