package org.sparklvm.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.SparkSession;

/**
 * Spark ML's writer over a spark-lvm model store: {@code MLWriter.save} refuses an existing path
 * (or clears it when told to overwrite), then the store writes the model directory.
 */
final class DirectoryWriter extends MLWriter {

  /** Writes a model directory at a path that does not exist. */
  @FunctionalInterface
  interface Store {
    void save(SparkSession spark, String path) throws IOException;
  }

  private final Store store;

  DirectoryWriter(Store store) {
    this.store = store;
  }

  @Override
  public void saveImpl(String path) {
    try {
      store.save(sparkSession(), path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
