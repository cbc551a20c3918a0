package org.sparklvm.jobs.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.model.ModelSummary;
import org.sparklvm.core.settings.TaskSettings;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.gmm.MixtureKind;
import org.sparklvm.jobs.store.ModelFiles;
import org.sparklvm.jobs.store.ModelKind;
import org.sparklvm.jobs.store.ModelStore;
import org.sparklvm.jobs.store.PlotSample;
import org.sparklvm.jobs.store.StoredModel;
import org.sparklvm.jobs.vae.VaeKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lvm plot}: redraws a model's pictures from its directory. */
@Command(name = "plot", mixinStandardHelpOptions = true,
    modelTransformer = PlotCommand.Declared.class,
    description = "Redraw the pictures (plots/*.png) of a mixture or VAE model from its directory.")
final class PlotCommand implements Callable<Integer> {

  /** The seed of random pictures, from {@link TaskSettings}. */
  static final class Declared extends DeclaredOptions {
    Declared() {
      super(List.of(TaskSettings.PLOT_SEED), Set.of());
    }
  }

  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;
  @Mixin ModelOptions model;

  /** Every kind of model directory there is. */
  private static final List<ModelKind<?, ?>> KINDS = List.of(MixtureKind.INSTANCE, VaeKind.INSTANCE);

  @Override
  public Integer call() throws Exception {
    SparkSession session = spark.session("lvm plot");
    Configuration conf = session.sparkContext().hadoopConfiguration();
    String format = ModelFiles.format(conf, model.model);
    Path dir = new Path(model.model, PlotSample.DIRECTORY);
    FileSystem fs = dir.getFileSystem(conf);
    ModelKind<?, ?> kind = KINDS.stream().filter(k -> k.format().equals(format)).findFirst()
        .orElseThrow(() -> new UserInputException("model " + model.model + " has format '"
            + format + "'; lvm plot draws " + KINDS.stream().map(ModelKind::format)
            .collect(Collectors.joining(" and ")) + " models"));
    draw(ModelStore.load(session, kind, model.model), fs, dir);
    ObjectNode result = CommandOutput.result("plot");
    result.put("output", dir.toString());
    ArrayNode pictures = result.putArray("pictures");
    if (fs.exists(dir)) {
      Arrays.stream(fs.listStatus(dir)).map(FileStatus::getPath).map(Path::getName)
          .filter(n -> n.endsWith(".png")).sorted().forEach(pictures::add);
    }
    CommandOutput.print(spec.commandLine().getOut(), result);
    return 0;
  }

  private <M, S extends ModelSummary> void draw(StoredModel<M, S> stored, FileSystem fs, Path dir)
      throws IOException {
    stored.kind().drawPictures(stored, fs, dir,
        DeclaredOptions.value(spec, TaskSettings.PLOT_SEED));
  }
}
