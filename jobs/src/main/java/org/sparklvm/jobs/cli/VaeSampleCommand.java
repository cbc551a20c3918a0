package org.sparklvm.jobs.cli;

import static org.sparklvm.core.settings.TaskSettings.SAMPLE_ROWS;
import static org.sparklvm.core.settings.TaskSettings.SAMPLE_SEED;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.settings.TaskSettings;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.store.ModelStore;
import org.sparklvm.jobs.vae.ImageGrid;
import org.sparklvm.jobs.vae.VaeKind;
import org.sparklvm.jobs.vae.VaeSampleJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lvm vae sample}: generation from the prior through the decoder. */
@Command(name = "sample", mixinStandardHelpOptions = true,
    modelTransformer = VaeSampleCommand.Declared.class,
    description = "Draw z ~ N(0, I) and decode (Parquet); with --image-shape also samples.png.")
final class VaeSampleCommand implements Callable<Integer> {

  /** How many rows and their seed, from {@link TaskSettings}. */
  static final class Declared extends DeclaredOptions {
    Declared() {
      super(List.of(SAMPLE_ROWS, SAMPLE_SEED), Set.of(SAMPLE_ROWS));
    }
  }

  private static final int GRID = 10;

  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;
  @Mixin DryRunOption check;
  @Mixin OutputOptions out;

  @Mixin ModelOptions model;

  @Option(names = "--random",
      description = "Draw x from p(x|z) rather than taking the decoder's mean")
  boolean random;

  @Option(names = "--image-shape",
      description = "HxW (e.g. 28x28): also write a PNG grid of the first 100 samples")
  String imageShape;

  @Override
  public Integer call() throws Exception {
    long n = DeclaredOptions.value(spec, SAMPLE_ROWS);
    long seed = DeclaredOptions.value(spec, SAMPLE_SEED);
    int[] shape = imageShape == null ? null : ImageGrid.shape(imageShape);
    SparkSession session = spark.session("lvm vae sample");
    out.checkWritable(session);
    var stored = ModelStore.load(session, VaeKind.INSTANCE, model.model);
    if (shape != null && shape[0] * shape[1] != stored.dim()) {
      throw new UserInputException("--image-shape " + imageShape + " has " + shape[0] * shape[1]
          + " pixels but the model's rows have " + stored.dim());
    }
    if (check.dryRun) {
      return CommandOutput.dryRun(spec.commandLine().getOut(), "vae sample", out.output);
    }
    String column = Objects.requireNonNullElse(stored.metadata().featuresCol(), "features");
    Dataset<Row> samples = VaeSampleJob.sample(session, stored.model(), n, seed,
        session.sparkContext().defaultParallelism(), random, column).cache();
    out.write(session, dir -> {
      samples.write().parquet(new Path(dir, "samples.parquet").toString());
      if (shape != null) {
        List<double[]> images = new ArrayList<>();
        for (Row r : samples.limit(GRID * GRID).collectAsList()) {
          images.add(((Vector) r.get(0)).toArray());
        }
        try (OutputStream png = dir.getFileSystem(session.sparkContext().hadoopConfiguration())
            .create(new Path(dir, "samples.png"), false)) {
          ImageGrid.write(images, shape[0], shape[1], GRID, png);
        }
      }
    });
    samples.unpersist(false);
    ObjectNode result = CommandOutput.result("vae sample");
    result.put("output", out.output);
    result.put("rows", n);
    CommandOutput.print(spec.commandLine().getOut(), result);
    return 0;
  }
}
