package org.sparklvm.jobs.vae;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklvm.core.vae.VaeArchitecture;

/**
 * Trains a VAE data-parallel with dl4j-spark's {@link ParameterAveragingTrainingMaster}: each worker
 * runs Adam on its minibatches and every {@code averagingFrequency} minibatches the parameters and the
 * updater state are averaged. After each epoch the ELBO per row of the training and validation rows
 * is computed distributed (the network's own loss, averaged over rows).
 */
public final class VaeTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(VaeTrainer.class);

  /** How training is distributed. */
  public record Settings(int epochs, int batchSizePerWorker, int averagingFrequency, long seed,
      String workDirectory) {

    /**
     * @throws IllegalArgumentException on a non-positive epoch count, batch size or frequency
     */
    public Settings {
      if (epochs < 1 || batchSizePerWorker < 1 || averagingFrequency < 1) {
        throw new IllegalArgumentException("epochs " + epochs + ", batch size per worker "
            + batchSizePerWorker + " and averaging frequency " + averagingFrequency
            + " must be positive");
      }
    }
  }

  /** The trained network and the ELBO per row after each epoch. */
  public record Result(MultiLayerNetwork network, List<Double> trainElbo,
      List<Double> validationElbo) {}

  private VaeTrainer() {}

  /**
   * @param train one example per {@link DataSet}, features = labels = x
   * @param validation held-out rows in the same form, or null
   */
  public static Result train(JavaSparkContext sc, VaeArchitecture architecture,
      JavaRDD<DataSet> train, JavaRDD<DataSet> validation, Settings settings) throws IOException {
    // dl4j-spark exports minibatches under hadoop.tmp.dir unless told otherwise: keep them in the
    // job's own working directory, and remove them when done.
    Path export = new Path(settings.workDirectory(), "dl4j-export");
    ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(1)
        .batchSizePerWorker(settings.batchSizePerWorker())
        .averagingFrequency(settings.averagingFrequency())
        .workerPrefetchNumBatches(0)
        .saveUpdater(true)
        .rddTrainingApproach(RDDTrainingApproach.Export)
        .exportDirectory(export.toString())
        .rngSeed(settings.seed())
        .build();
    SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, architecture.configuration(), master);
    List<Double> trainElbo = new ArrayList<>();
    List<Double> validationElbo = new ArrayList<>();
    int scoreBatch = Math.min(architecture.maxBatch(), 256);
    try {
      for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
        long t0 = System.nanoTime();
        spark.fit(train);
        double seconds = (System.nanoTime() - t0) / 1e9;
        trainElbo.add(-spark.calculateScore(train, true, scoreBatch));
        if (validation != null) {
          validationElbo.add(-spark.calculateScore(validation, true, scoreBatch));
        }
        LOG.info("vae epoch {}/{}: train ELBO {} per row, validation ELBO {} ({} s)", epoch,
            settings.epochs(), trainElbo.get(epoch - 1),
            validation != null ? validationElbo.get(epoch - 1) : "-", String.format("%.1f", seconds));
      }
    } finally {
      master.deleteTempFiles(sc);
      Configuration conf = sc.hadoopConfiguration();
      FileSystem fs = export.getFileSystem(conf);
      if (fs.exists(export)) {
        fs.delete(export, true);
      }
    }
    return new Result(spark.getNetwork(), trainElbo, validationElbo);
  }
}
