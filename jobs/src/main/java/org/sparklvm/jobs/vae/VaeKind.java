package org.sparklvm.jobs.vae;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.sparklvm.core.model.ModelFormatException;
import org.sparklvm.core.model.ModelMetadata;
import org.sparklvm.core.model.VaeFormat;
import org.sparklvm.core.model.VaeSummary;
import org.sparklvm.core.vae.VaeArchitecture;
import org.sparklvm.core.vae.VaeModel;
import org.sparklvm.jobs.plot.VaePlots;
import org.sparklvm.jobs.store.ModelFiles;
import org.sparklvm.jobs.store.ModelKind;
import org.sparklvm.jobs.store.StoredModel;

/**
 * Variational autoencoders as model directories: DL4J's {@code network.zip} (with the updater state,
 * so that training can go on) beside {@code metadata.json}.
 */
public final class VaeKind implements ModelKind<TrainedVae, VaeSummary> {

  public static final VaeKind INSTANCE = new VaeKind();

  private VaeKind() {}

  @Override
  public String format() {
    return VaeFormat.FORMAT;
  }

  @Override
  public int version() {
    return VaeFormat.VERSION;
  }

  @Override
  public String modelClass() {
    return VaeModel.class.getName();
  }

  @Override
  public Class<VaeSummary> summaryType() {
    return VaeSummary.class;
  }

  @Override
  public int dim(TrainedVae model) {
    return model.architecture().inputDim();
  }

  @Override
  public void writeParameters(SparkSession spark, TrainedVae model, Path dir) throws IOException {
    FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    try (OutputStream out = fs.create(new Path(dir, VaeFormat.NETWORK), false)) {
      ModelSerializer.writeModel(model.network(), out, true);
    }
  }

  @Override
  public TrainedVae readParameters(SparkSession spark, String dir, ModelMetadata meta) {
    VaeArchitecture arch =
        VaeFormat.architecture(meta.params(), new Path(dir, ModelFiles.METADATA).toString());
    Path zip = new Path(dir, VaeFormat.NETWORK);
    MultiLayerNetwork network;
    try (InputStream in = zip.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(zip)) {
      network = ModelSerializer.restoreMultiLayerNetwork(in, true);
    } catch (IOException | RuntimeException e) {
      throw new ModelFormatException("cannot read the network of model " + dir + " (" + zip
          + "): " + e.getMessage(), e);
    }
    long inputs = network.layerInputSize(0);
    if (inputs != arch.inputDim() || network.getnLayers() != arch.latentLayer() + 2) {
      throw new ModelFormatException(zip + " holds a network of " + network.getnLayers()
          + " layers and " + inputs + " inputs but " + ModelFiles.METADATA + " describes "
          + (arch.latentLayer() + 2) + " layers and " + arch.inputDim() + " inputs");
    }
    return new TrainedVae(network, arch);
  }

  @Override
  public void drawPictures(StoredModel<TrainedVae, VaeSummary> stored, FileSystem fs, Path plots,
      Long seed) throws IOException {
    VaePlots.draw(stored, fs, plots, seed != null ? seed : stored.model().architecture().seed());
  }
}
