package org.sparklvm.jobs.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.sparklvm.core.model.ModelFormatException;
import org.sparklvm.core.model.ModelMetadata;
import org.sparklvm.core.model.VaeFormat;
import org.sparklvm.core.vae.VaeArchitecture;

/** Reads and writes VAE model directories ({@code metadata.json} plus DL4J's {@code network.zip}). */
public final class VaeStore {

  private VaeStore() {}

  /**
   * Writes a model directory atomically, the network with its updater state (so training can go on).
   *
   * @throws org.sparklvm.jobs.UserInputException when {@code path} exists and not {@code overwrite}
   */

  /**
   * Writes a model directory atomically with more files of the caller's (pictures, say) in it.
   *
   * @throws org.sparklvm.jobs.UserInputException when {@code path} exists and not {@code overwrite}
   */
  public static void save(SparkSession spark, StoredVae stored, String path, boolean overwrite,
      AtomicOutput.Writer extra) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    AtomicOutput.write(conf, path, overwrite, dir -> {
      FileSystem fs = dir.getFileSystem(conf);
      try (OutputStream out = fs.create(new Path(dir, VaeFormat.NETWORK), false)) {
        ModelSerializer.writeModel(stored.network(), out, true);
      }
      ModelFiles.writePlotSample(conf, dir, stored.plotSample());
      extra.write(dir);
      ModelFiles.writeMetadata(conf, dir, stored.metadata());
    });
  }

  /**
   * @throws ModelFormatException when the metadata or the network cannot be read, or they disagree
   */
  public static StoredVae load(SparkSession spark, String path) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ModelMetadata meta = ModelFiles.readMetadata(conf, path, VaeFormat.FORMAT, VaeFormat.VERSION);
    VaeArchitecture arch = VaeFormat.architecture(meta.params(), path + "/" + ModelFiles.METADATA);
    Path zip = new Path(path, VaeFormat.NETWORK);
    MultiLayerNetwork network;
    try (InputStream in = zip.getFileSystem(conf).open(zip)) {
      network = ModelSerializer.restoreMultiLayerNetwork(in, true);
    } catch (IOException | RuntimeException e) {
      throw new ModelFormatException("cannot read the network of model " + path + " (" + zip
          + "): " + e.getMessage(), e);
    }
    long inputs = network.layerInputSize(0);
    if (inputs != arch.inputDim() || network.getnLayers() != arch.latentLayer() + 2) {
      throw new ModelFormatException(zip + " holds a network of " + network.getnLayers()
          + " layers and " + inputs + " inputs but " + ModelFiles.METADATA + " describes "
          + (arch.latentLayer() + 2) + " layers and " + arch.inputDim() + " inputs");
    }
    return new StoredVae(network, meta, ModelFiles.readPlotSample(conf, path));
  }
}
