package org.sparklvm.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.jobs.data.DataReader;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.InputSpec;
import org.sparklvm.jobs.gmm.MixtureFitJob;
import org.sparklvm.jobs.store.AtomicOutput;
import org.sparklvm.jobs.store.MixtureStore;
import org.sparklvm.jobs.store.StoredMixture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lvm gmm fit}: fits a mixture and writes the model directory. */
@Command(name = "fit", mixinStandardHelpOptions = true,
    description = "Fit a Gaussian mixture by distributed EM and write the model directory.")
final class GmmFitCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;
  @Mixin InputOptions input;
  @Mixin EmOptions em;

  @Option(names = "--k", required = true, description = "Number of components")
  int k;

  @Option(names = "--covariance", defaultValue = "full", description = "full, diag, tied or spherical")
  String covariance;

  @Option(names = "--output", required = true, description = "Model directory to write")
  String output;

  @Option(names = "--overwrite", description = "Replace an existing output")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    EmSettings settings = em.settings(k, covariance);
    InputSpec in = input.spec();
    SparkSession session = spark.session("lvm gmm fit");
    AtomicOutput.checkWritable(session.sparkContext().hadoopConfiguration(), output, overwrite);
    Dataset<Row> table = DataReader.read(session, in);
    FeatureColumns columns = FeatureColumns.resolve(
        table.schema(), in.featuresCol(), in.featureCols(), in.weightCol());
    StoredMixture model = MixtureFitJob.fit(session, table, columns, settings, in.path());
    MixtureStore.save(session, model, output, overwrite);
    ObjectNode result = CommandOutput.result("gmm fit");
    result.put("output", output);
    result.setAll(model.metadata().summary().deepCopy()
        .retain("iterations", "converged", "meanLogLikelihood", "bic", "aic", "rows"));
    CommandOutput.print(spec.commandLine().getOut(), result);
    return 0;
  }
}
