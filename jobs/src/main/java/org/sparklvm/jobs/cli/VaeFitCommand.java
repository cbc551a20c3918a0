package org.sparklvm.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.vae.VaeSettings;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.store.ModelStore;
import org.sparklvm.jobs.vae.ImageGrid;
import org.sparklvm.jobs.vae.VaeFitJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lvm vae fit}: trains a VAE and writes the model directory. */
@Command(name = "fit", mixinStandardHelpOptions = true,
    modelTransformer = VaeFitCommand.Declared.class,
    description = "Train a VAE (negative ELBO, reparameterisation) with parameter averaging.")
final class VaeFitCommand implements Callable<Integer> {

  /** Every setting of a VAE fit, from {@link VaeSettings}. */
  static final class Declared extends DeclaredOptions {
    Declared() {
      super(VaeSettings.DECLARED, Set.of());
    }
  }

  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;
  @Mixin DryRunOption check;
  @Mixin InputOptions input;
  @Mixin OutputOptions out;

  @Option(names = "--image-shape",
      description = "HxW (e.g. 28x28): rows are images; the model's plots/ then also holds grids of"
          + " samples and reconstructions")
  String imageShape;

  @Option(names = "--label-col",
      description = "A column whose values colour the latent picture (e.g. label for --format idx)")
  String labelCol;

  @Option(names = "--resume",
      description = "Continue from the last epoch a failed run of the same command checkpointed")
  boolean resume;

  @Override
  public Integer call() throws Exception {
    VaeSettings settings = VaeSettings.from(DeclaredOptions.of(spec));
    int[] shape = imageShape == null ? null : ImageGrid.shape(imageShape);
    input.spec(); // checks the input options before Spark starts
    SparkSession session = spark.session("lvm vae fit");
    out.checkWritable(session);
    InputOptions.Table in = input.read(session);
    VaeFitJob.Pictures pictures = new VaeFitJob.Pictures(labelCol, shape);
    VaeFitJob.checkLabelColumn(in.rows(), pictures, in.spec().path());
    if (shape != null) {
      checkImageShape(in, shape);
    }
    if (check.dryRun) {
      return CommandOutput.dryRun(spec.commandLine().getOut(), "vae fit", out.output);
    }
    Path target = new Path(out.output);
    String work = new Path(target.getParent(), "." + target.getName() + ".work").toString();
    var model = VaeFitJob.fit(session, in.rows(), in.columns(), settings, resume,
        pictures, in.spec().path(), work);
    ModelStore.save(session, model, out.output, out.overwrite);
    VaeFitJob.removeWorkDirectory(session, work);
    ObjectNode result = CommandOutput.result("vae fit");
    result.put("output", out.output);
    result.setAll(model.metadata().summary().deepCopy()
        .retain("epochs", "validationElbo", "validationLogLikelihood", "importanceSamples", "rows"));
    CommandOutput.print(spec.commandLine().getOut(), result);
    return 0;
  }

  /** Before training: the first row's feature count must be the image's pixel count. */
  private void checkImageShape(InputOptions.Table in, int[] shape) {
    List<Row> first = in.rows().limit(1).collectAsList();
    if (!first.isEmpty()) {
      int features;
      try {
        features = in.columns().features(first.get(0)).length;
      } catch (FeatureColumns.BadRowException e) {
        throw new UserInputException(in.spec().path() + ": row 0: " + e.getMessage(), e);
      }
      if (shape[0] * shape[1] != features) {
        throw new UserInputException("--image-shape " + imageShape + " has " + shape[0] * shape[1]
            + " pixels but the rows have " + features + " features");
      }
    }
  }
}
