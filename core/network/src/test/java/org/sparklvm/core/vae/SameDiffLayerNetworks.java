package org.sparklvm.core.vae;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Networks saved by the SameDiff {@link ElboOutputLayer} (commit 76a5a51, before the hand-written
 * layer), kept as test resources with the values that layer held: the golden files of {@link
 * SavedNetworkCompatibilityTest}. {@link #write} made them, run on that commit with {@code
 * -Dlvm.writeSameDiffNetworks=<dir>}; it only uses what both versions have.
 *
 * <p>{@code <name>.zip} is the network with its updater (DL4J's {@code ModelSerializer}); {@code
 * <name>.txt} holds, a line each, {@code name v1 v2 ...} for every parameter of the ELBO layer as its
 * {@code paramTable()} gave them, then {@code params} (the whole flattened vector) and {@code updater}
 * (the updater's state), floats as Java prints them (exact).
 */
class SameDiffLayerNetworks {

  /** The architectures saved: a Gaussian decoder (it has logVarOut) and a Bernoulli one with IWAE. */
  static Map<String, VaeArchitecture> architectures() {
    Map<String, VaeArchitecture> a = new LinkedHashMap<>();
    a.put("samediff-gaussian-elbo", new VaeArchitecture(6, 2, new int[] {5}, new int[] {4, 3},
        Likelihood.GAUSSIAN, Objective.ELBO, 2, 1.0, 1e-2, 64, 17));
    a.put("samediff-bernoulli-iwae", new VaeArchitecture(6, 3, new int[] {5}, new int[] {4},
        Likelihood.BERNOULLI, Objective.IWAE, 3, 0.5, 1e-2, 64, 19));
    return a;
  }

  /** The rows both the writer trained on and the compatibility test scores. */
  static INDArray rows(VaeArchitecture a) {
    Nd4j.getRandom().setSeed(a.seed());
    INDArray x = Nd4j.rand(DataType.FLOAT, 8, a.inputDim());
    return a.likelihood() == Likelihood.BERNOULLI ? x.gt(0.5).castTo(DataType.FLOAT) : x;
  }

  static Map<String, float[]> readValues(Path file) throws IOException {
    Map<String, float[]> values = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] f = line.trim().split(" ");
      float[] v = new float[f.length - 1];
      for (int i = 1; i < f.length; i++) {
        v[i - 1] = Float.parseFloat(f[i]);
      }
      values.put(f[0], v);
    }
    return values;
  }

  private static String line(String name, INDArray values) {
    StringBuilder b = new StringBuilder(name);
    for (float v : values.dup('c').castTo(DataType.FLOAT).data().asFloat()) {
      b.append(' ').append(v);
    }
    return b.toString();
  }

  @Test
  void write() throws IOException {
    String dir = System.getProperty("lvm.writeSameDiffNetworks");
    assumeTrue(dir != null, "writes golden files: -Dlvm.writeSameDiffNetworks=<dir>");
    for (Map.Entry<String, VaeArchitecture> e : architectures().entrySet()) {
      VaeArchitecture a = e.getValue();
      MultiLayerNetwork net = new MultiLayerNetwork(VaeNetwork.configuration(a));
      net.init();
      INDArray x = rows(a);
      for (int step = 0; step < 20; step++) {
        net.fit(new DataSet(x, x));
      }
      ModelSerializer.writeModel(net, new File(dir, e.getKey() + ".zip"), true);
      List<String> lines = new ArrayList<>();
      net.getLayer(net.getnLayers() - 1).paramTable().forEach((n, v) -> lines.add(line(n, v)));
      lines.add(line("params", net.params()));
      lines.add(line("updater", net.getUpdater().getStateViewArray()));
      Files.write(Path.of(dir, e.getKey() + ".txt"), lines, StandardCharsets.UTF_8);
    }
  }
}
