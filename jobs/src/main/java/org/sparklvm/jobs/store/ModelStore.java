package org.sparklvm.jobs.store;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklvm.core.model.ModelMetadata;
import org.sparklvm.core.model.ModelSummary;

/**
 * Reads and writes model directories of every kind on any Hadoop file system: {@code metadata.json},
 * the kind's parameters, the plot sample and the pictures, written to a hidden sibling and renamed
 * into place ({@link AtomicOutput}).
 */
public final class ModelStore {

  private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);

  private ModelStore() {}

  /**
   * Writes a model directory atomically, with its pictures.
   *
   * @throws org.sparklvm.jobs.UserInputException when {@code path} exists and not {@code overwrite}
   * @throws IOException when writing fails (nothing is left behind)
   */
  public static <M, S extends ModelSummary> void save(SparkSession spark, StoredModel<M, S> stored,
      String path, boolean overwrite) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    AtomicOutput.write(conf, path, overwrite, dir -> {
      stored.kind().writeParameters(spark, stored.model(), dir);
      ModelFiles.writePlotSample(conf, dir, stored.plotSample());
      drawPictures(stored, conf, dir, null);
      ModelFiles.writeMetadata(conf, dir, stored.metadata());
    });
  }

  /**
   * Reads a model directory of {@code kind}, checking the format, the version and every shape.
   *
   * @throws org.sparklvm.core.model.ModelFormatException naming the file and what is wrong with it
   */
  public static <M, S extends ModelSummary> StoredModel<M, S> load(SparkSession spark,
      ModelKind<M, S> kind, String path) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ModelMetadata meta = ModelFiles.readMetadata(conf, path, kind.format(), kind.version());
    M model = kind.readParameters(spark, path, meta);
    StoredModel<M, S> stored =
        new StoredModel<>(kind, model, meta, ModelFiles.readPlotSample(conf, path));
    stored.summary(); // a summary that cannot be read is refused now, not when scoring
    return stored;
  }

  /**
   * Draws a model's pictures into the {@code plots} folder of {@code dir}. A picture that cannot be
   * drawn is logged and skipped: it is no reason to lose the model.
   *
   * @param seed the seed of random pictures, or null for the model's own
   */
  public static <M, S extends ModelSummary> void drawPictures(StoredModel<M, S> stored,
      Configuration conf, Path dir, Long seed) throws IOException {
    try {
      stored.kind().drawPictures(stored, dir.getFileSystem(conf),
          new Path(dir, PlotSample.DIRECTORY), seed);
    } catch (RuntimeException e) {
      LOG.warn("could not draw the {} model's pictures: {}", stored.kind().format(), e.toString());
    }
  }
}
