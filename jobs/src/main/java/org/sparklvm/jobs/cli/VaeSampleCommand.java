package org.sparklvm.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
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
    description = "Draw z ~ N(0, I) and decode (Parquet); with --image-shape also samples.png.")
final class VaeSampleCommand implements Callable<Integer> {

  private static final int GRID = 10;

  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;
  @Mixin DryRunOption check;
  @Mixin OutputOptions out;

  @Mixin ModelOptions model;

  @Option(names = "--n", required = true, description = "Rows to draw")
  long n;

  @Option(names = "--seed", defaultValue = "42") long seed;

  @Option(names = "--random",
      description = "Draw x from p(x|z) rather than taking the decoder's mean")
  boolean random;

  @Option(names = "--image-shape",
      description = "HxW (e.g. 28x28): also write a PNG grid of the first 100 samples")
  String imageShape;

  @Override
  public Integer call() throws Exception {
    if (n < 0) {
      throw new UserInputException("--n must be >= 0, got " + n);
    }
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
