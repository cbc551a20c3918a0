package org.sparklvm.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.vae.Likelihood;
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
    description = "Train a VAE (negative ELBO, reparameterisation) with parameter averaging.")
final class VaeFitCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;
  @Mixin DryRunOption check;
  @Mixin InputOptions input;
  @Mixin OutputOptions out;

  @Option(names = "--latent-dim", defaultValue = "32", description = "Dimension of z (default 32)")
  int latentDim;

  @Option(names = "--encoder", defaultValue = "512,256", split = ",",
      description = "Encoder hidden sizes (default 512,256)")
  int[] encoder;

  @Option(names = "--decoder", defaultValue = "256,512", split = ",",
      description = "Decoder hidden sizes (default 256,512)")
  int[] decoder;

  @Option(names = "--likelihood", defaultValue = "bernoulli", description = "bernoulli or gaussian")
  String likelihood;

  @Option(names = "--samples", defaultValue = "1", description = "Draws of z per row in the ELBO")
  int samples;

  @Option(names = "--beta", defaultValue = "1.0", description = "Weight of the KL term")
  double beta;

  @Option(names = "--kl-warmup-epochs", defaultValue = "0",
      description = "Epochs over which the KL weight rises from 0 to beta (default 0: no warm-up)")
  int klWarmupEpochs;

  @Option(names = "--epochs", defaultValue = "10") int epochs;

  @Option(names = "--batch-size-per-worker", defaultValue = "64") int batchSizePerWorker;

  @Option(names = "--averaging-frequency", defaultValue = "5",
      description = "Minibatches per worker between parameter averagings (default 5)")
  int averagingFrequency;

  @Option(names = "--learning-rate", defaultValue = "1e-3", description = "Adam step size")
  double learningRate;

  @Option(names = "--validation-fraction", defaultValue = "0.1") double validationFraction;

  @Option(names = "--importance-samples", defaultValue = "100",
      description = "K of the importance-sampled log-likelihood of up to 10,000 held-out rows (training"
          + " rows if none): the validation log-likelihood and the anomaly quantiles (default 100)")
  int importanceSamples;

  @Option(names = "--seed", defaultValue = "42") long seed;

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
    VaeFitJob.Options options;
    try {
      options = new VaeFitJob.Options(latentDim, encoder, decoder, Likelihood.fromId(likelihood),
          samples, beta, klWarmupEpochs, learningRate, epochs, batchSizePerWorker,
          averagingFrequency, validationFraction, importanceSamples, seed, resume);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage(), e);
    }
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
    var model = VaeFitJob.fit(session, in.rows(), in.columns(), options,
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
