package org.sparklvm.jobs.vae;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.sparklvm.core.model.ModelMetadata;

/**
 * The state of VAE training after an epoch, in the job's working folder: the network with its
 * updater state ({@code checkpoint.zip}) and the epoch with the ELBO histories ({@code
 * checkpoint.json}, written last, so that a checkpoint is complete when it exists).
 *
 * @param epoch epochs completed
 * @param network the network after them
 * @param trainElbo training ELBO per row after each epoch
 * @param validationElbo validation ELBO per row after each epoch (empty without validation rows)
 */
record Checkpoint(int epoch, MultiLayerNetwork network, List<Double> trainElbo,
    List<Double> validationElbo) {

  private static final String NETWORK = "checkpoint.zip";
  private static final String STATE = "checkpoint.json";

  void write(FileSystem fs, Path dir) throws IOException {
    fs.mkdirs(dir);
    try (OutputStream out = fs.create(new Path(dir, NETWORK), true)) {
      ModelSerializer.writeModel(network, out, true);
    }
    ObjectNode state = ModelMetadata.JSON.createObjectNode();
    state.put("epoch", epoch);
    trainElbo.forEach(state.putArray("trainElbo")::add);
    validationElbo.forEach(state.putArray("validationElbo")::add);
    try (OutputStream out = fs.create(new Path(dir, STATE), true)) {
      out.write(ModelMetadata.JSON.writeValueAsBytes(state));
    }
  }

  /** The checkpoint in {@code dir}, or null when there is none. */
  static Checkpoint read(FileSystem fs, Path dir) throws IOException {
    Path state = new Path(dir, STATE);
    if (!fs.exists(state)) {
      return null;
    }
    JsonNode json;
    try (InputStream in = fs.open(state)) {
      json = ModelMetadata.JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    MultiLayerNetwork network;
    try (InputStream in = fs.open(new Path(dir, NETWORK))) {
      network = ModelSerializer.restoreMultiLayerNetwork(in, true);
    }
    return new Checkpoint(json.get("epoch").asInt(), network, doubles(json.get("trainElbo")),
        doubles(json.get("validationElbo")));
  }

  private static List<Double> doubles(JsonNode array) {
    List<Double> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asDouble()));
    return out;
  }
}
