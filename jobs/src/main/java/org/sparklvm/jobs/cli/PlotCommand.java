package org.sparklvm.jobs.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.model.MixtureFormat;
import org.sparklvm.core.model.VaeFormat;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.plot.MixturePlots;
import org.sparklvm.jobs.plot.VaePlots;
import org.sparklvm.jobs.store.MixtureStore;
import org.sparklvm.jobs.store.ModelFiles;
import org.sparklvm.jobs.store.PlotSample;
import org.sparklvm.jobs.store.StoredVae;
import org.sparklvm.jobs.store.VaeStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lvm plot}: redraws a model's pictures from its directory. */
@Command(name = "plot", mixinStandardHelpOptions = true,
    description = "Redraw the pictures (plots/*.png) of a mixture or VAE model from its directory.")
final class PlotCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;
  @Mixin ModelOptions model;

  @Option(names = "--seed", description = "Seed of a VAE's sample grid (default: the model's)")
  Long seed;

  @Override
  public Integer call() throws Exception {
    SparkSession session = spark.session("lvm plot");
    Configuration conf = session.sparkContext().hadoopConfiguration();
    String format = ModelFiles.format(conf, model.model);
    Path dir = new Path(model.model, PlotSample.DIRECTORY);
    FileSystem fs = dir.getFileSystem(conf);
    if (format.equals(MixtureFormat.FORMAT)) {
      MixturePlots.draw(MixtureStore.load(session, model.model), fs, dir);
    } else if (format.equals(VaeFormat.FORMAT)) {
      StoredVae vae = VaeStore.load(session, model.model);
      VaePlots.draw(vae, fs, dir, seed != null ? seed : vae.architecture().seed());
    } else {
      throw new UserInputException("model " + model.model + " has format '" + format
          + "'; lvm plot draws " + MixtureFormat.FORMAT + " and " + VaeFormat.FORMAT + " models");
    }
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
}
