package org.sparklvm.jobs.vae;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklvm.core.vae.ElboOutputLayer;
import org.sparklvm.core.vae.VaeArchitecture;
import org.sparklvm.core.vae.VaeNetwork;
import org.sparklvm.core.vae.VaeSettings;
import org.sparklvm.jobs.Progress;

/**
 * Trains a VAE data-parallel with dl4j-spark's {@link ParameterAveragingTrainingMaster}: each worker
 * runs Adam on its minibatches and every {@code averagingFrequency} minibatches the parameters and the
 * updater state are averaged. After each epoch the ELBO per row of the training and validation rows
 * is computed distributed (the network's own loss, averaged over rows).
 */
public final class VaeTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(VaeTrainer.class);

  /**
   * How training is distributed.
   *
   * @param klWarmupEpochs the KL weight rises linearly from 0 (first epoch) to beta over this many
   *     epochs; 0 for beta throughout
   * @param workDirectory the job's own folder: a checkpoint after each epoch
   * @param resume continue from the checkpoint in {@code workDirectory}, if there is one
   */
  public record Settings(int epochs, int batchSizePerWorker, int averagingFrequency,
      int klWarmupEpochs, long seed, String workDirectory, boolean resume) {

    /**
     * @throws IllegalArgumentException naming the first value outside the range {@link VaeSettings}
     *     declares
     */
    public Settings {
      VaeSettings.EPOCHS.check(epochs);
      VaeSettings.BATCH_SIZE_PER_WORKER.check(batchSizePerWorker);
      VaeSettings.AVERAGING_FREQUENCY.check(averagingFrequency);
      VaeSettings.KL_WARMUP_EPOCHS.check(klWarmupEpochs);
    }

    /** The KL weight of an epoch (1-based). */
    double beta(double beta, int epoch) {
      return klWarmupEpochs == 0 ? beta : beta * Math.min(1.0, (epoch - 1) / (double) klWarmupEpochs);
    }
  }

  /**
   * The trained network, the ELBO per row after each epoch and the seconds each epoch trained.
   *
   * @param trainSeconds each epoch's training alone (not its scoring or checkpoint); an epoch resumed
   *     from a checkpoint has none
   * @param trainCpuSeconds this JVM's CPU seconds over the same spans: in local mode the executors'
   *     and the driver's, on a cluster the driver's alone
   */
  public record Result(MultiLayerNetwork network, List<Double> trainElbo,
      List<Double> validationElbo, List<Double> trainSeconds, List<Double> trainCpuSeconds) {}

  private VaeTrainer() {}

  /**
   * The network with the KL weight of its {@link ElboOutputLayer} set to {@code beta}: the same
   * parameters and updater state in a network built anew, because the layer reads the weight when
   * the network is built.
   */
  static MultiLayerNetwork withBeta(MultiLayerNetwork network, double beta) {
    MultiLayerConfiguration conf = network.getLayerWiseConfigurations().clone();
    ElboOutputLayer out =
        (ElboOutputLayer) conf.getConf(conf.getConfs().size() - 1).getLayer();
    if (out.getBeta() == beta) {
      return network;
    }
    out.setBeta(beta);
    MultiLayerNetwork copy = new MultiLayerNetwork(conf);
    copy.init(network.params().dup(), false);
    if (network.getUpdater() != null && network.getUpdater().getStateViewArray() != null) {
      copy.getUpdater().setStateViewArray(copy, network.getUpdater().getStateViewArray().dup(),
          false);
    }
    return copy;
  }

  /**
   * The rows spread evenly over one partition per worker ({@code defaultParallelism}), for {@link
   * #train}: each partition then gives its worker an equal share of every averaging round, and
   * dl4j-spark skips the repartition it otherwise makes before every round (three Spark jobs and a
   * shuffle). Persist the result: training reads it every round.
   */
  public static JavaRDD<DataSet> perWorker(JavaRDD<DataSet> rows) {
    return rows.repartition(rows.context().defaultParallelism());
  }

  /**
   * @param train one example per {@link DataSet}, features = labels = x, persisted at {@code
   *     MEMORY_AND_DISK} and best spread by {@link #perWorker}
   * @param validation held-out rows in the same form, or null
   */
  public static Result train(JavaSparkContext sc, VaeArchitecture architecture,
      JavaRDD<DataSet> train, JavaRDD<DataSet> validation, Settings settings) throws IOException {
    ParameterAveragingTrainingMaster master = master(sc.defaultParallelism(),
        settings.batchSizePerWorker(), settings.averagingFrequency(), settings.seed()).build();
    Configuration conf = sc.hadoopConfiguration();
    Path work = new Path(settings.workDirectory());
    FileSystem fs = work.getFileSystem(conf);
    Checkpoint checkpoint = settings.resume() ? Checkpoint.read(fs, work) : null;
    MultiLayerNetwork network;
    List<Double> trainElbo = new ArrayList<>();
    List<Double> validationElbo = new ArrayList<>();
    if (checkpoint != null) {
      network = checkpoint.network();
      trainElbo.addAll(checkpoint.trainElbo());
      validationElbo.addAll(checkpoint.validationElbo());
      LOG.info("vae: resuming after epoch {} from {}", checkpoint.epoch(), work);
    } else {
      network = new MultiLayerNetwork(VaeNetwork.configuration(architecture));
      network.init();
    }
    int scoreBatch = 256;
    long rows = train.count();
    List<Double> trainSeconds = new ArrayList<>();
    List<Double> trainCpuSeconds = new ArrayList<>();
    Progress progress = new Progress(Math.max(1, settings.epochs() - trainElbo.size()));
    for (int epoch = trainElbo.size() + 1; epoch <= settings.epochs(); epoch++) {
      long t0 = System.nanoTime();
      network = withBeta(network, settings.beta(architecture.beta(), epoch));
      long t1 = System.nanoTime();
      long cpu = cpuNanos();
      SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, network, master);
      spark.fit(train);
      network = spark.getNetwork();
      trainSeconds.add((System.nanoTime() - t1) / 1e9);
      trainCpuSeconds.add((cpuNanos() - cpu) / 1e9);
      double seconds = (System.nanoTime() - t0) / 1e9;
      // Scores are the ELBO proper, whatever weight the KL had while training.
      SparkDl4jMultiLayer scorer =
          new SparkDl4jMultiLayer(sc, withBeta(network, architecture.beta()), master);
      trainElbo.add(-scorer.calculateScore(train, true, scoreBatch));
      if (validation != null) {
        validationElbo.add(-scorer.calculateScore(validation, true, scoreBatch));
      }
      new Checkpoint(epoch, network, trainElbo, validationElbo).write(fs, work);
      LOG.info("vae epoch {}/{}: train ELBO {} per row, validation ELBO {} ({} s, {} rows/s, {}"
          + " left)", epoch, settings.epochs(), String.format("%.4f", trainElbo.get(epoch - 1)),
          validation != null ? String.format("%.4f", validationElbo.get(epoch - 1)) : "-",
          String.format("%.1f", seconds), String.format("%.0f", rows / seconds),
          progress.step((System.nanoTime() - t0) / 1e9));
    }
    return new Result(withBeta(network, architecture.beta()), trainElbo, validationElbo,
        trainSeconds, trainCpuSeconds);
  }

  /**
   * The master as training configures it. Direct: workers take their rows from the cached RDD each
   * round and batch them there. The default, Export, writes minibatches to disk once and reads them
   * back every round; measured here (784-256-16, 2 x 64 rows, every 5) at 41 ms a round and 2.5-4 s
   * per fit for the export.
   */
  static ParameterAveragingTrainingMaster.Builder master(int workers, int batchSizePerWorker,
      int averagingFrequency, long seed) {
    return new ParameterAveragingTrainingMaster.Builder(workers, 1)
        .batchSizePerWorker(batchSizePerWorker)
        .averagingFrequency(averagingFrequency)
        .workerPrefetchNumBatches(0)
        .saveUpdater(true)
        .rddTrainingApproach(RDDTrainingApproach.Direct)
        .storageLevel(StorageLevel.MEMORY_AND_DISK())
        .repartionData(Repartition.NumPartitionsWorkersDiffers)
        .rngSeed(seed);
  }

  /** This JVM's CPU time, or -1 where the platform does not tell it. */
  private static long cpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
  }
}
