package org.sparklvm.jobs.store;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.model.ModelMetadata;
import org.sparklvm.core.model.ModelSummary;

/**
 * One family of latent variable models p(x, z) = p(z) p(x|z) as a model directory sees it: its format
 * name and version, how its parameters are written beside {@code metadata.json} and read back, its
 * summary type and its pictures. Everything else about the directory (atomic write, metadata,
 * provenance, the plot sample, anomaly quantiles) is the same for every kind ({@link ModelStore}).
 *
 * @param <M> the fitted model
 * @param <S> its summary
 */
public interface ModelKind<M, S extends ModelSummary> {

  /** The {@code format} of {@code metadata.json}, e.g. {@code spark-lvm/gmm}. */
  String format();

  /** The newest {@code formatVersion} this kind writes and reads. */
  int version();

  /** The class named in {@code metadata.json}: the model's own, whatever library holds its numbers. */
  String modelClass();

  Class<S> summaryType();

  /** The dimension of the rows the model describes. */
  int dim(M model);

  /** Writes the model's parameters into a directory being written. */
  void writeParameters(SparkSession spark, M model, Path dir) throws IOException;

  /**
   * Reads the parameters back and checks them against the metadata.
   *
   * @throws org.sparklvm.core.model.ModelFormatException naming the file and what is wrong
   */
  M readParameters(SparkSession spark, String dir, ModelMetadata metadata);

  /**
   * Draws the model's pictures into {@code plots}.
   *
   * @param seed the seed of random pictures, or null for the model's own
   */
  void drawPictures(StoredModel<M, S> stored, FileSystem fs, Path plots, Long seed)
      throws IOException;
}
