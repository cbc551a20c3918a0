package org.sparklvm.core.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Networks saved when {@link ElboOutputLayer} was a SameDiff layer ({@link SameDiffLayerNetworks})
 * load into the hand-written layer with every parameter, by name, and the updater state as that layer
 * held them, and score as the SameDiff graph of the same loss scores those saved values.
 */
class SavedNetworkCompatibilityTest {

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(SavedNetworkCompatibilityTest.class.getResource(name).toURI());
  }

  @Test
  void sameDiffLayerNetworksLoadWithTheirParametersAndScores()
      throws IOException, URISyntaxException {
    for (Map.Entry<String, VaeArchitecture> e : SameDiffLayerNetworks.architectures().entrySet()) {
      String name = e.getKey();
      VaeArchitecture a = e.getValue();
      MultiLayerNetwork net;
      try (InputStream in = SavedNetworkCompatibilityTest.class.getResourceAsStream(name + ".zip")) {
        net = ModelSerializer.restoreMultiLayerNetwork(in, true);
      }
      Map<String, float[]> saved = SameDiffLayerNetworks.readValues(resource(name + ".txt"));
      ElboLayer layer = assertInstanceOf(ElboLayer.class, net.getLayer(net.getnLayers() - 1));
      Map<String, INDArray> savedParams = new LinkedHashMap<>();
      for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
        float[] expected = saved.get(p.getKey());
        assertArrayEquals(expected, p.getValue().dup('c').data().asFloat(), name + " " + p.getKey());
        savedParams.put(p.getKey(), Nd4j.create(expected, p.getValue().shape(), 'c'));
      }
      assertEquals(saved.size() - 2, layer.paramTable().size(), name + ": parameter count");
      assertArrayEquals(saved.get("params"), net.params().dup('c').data().asFloat(), name);
      assertArrayEquals(saved.get("updater"),
          net.getUpdater().getStateViewArray().dup('c').data().asFloat(), name + ": updater");

      INDArray x = SameDiffLayerNetworks.rows(a);
      INDArray input = net.feedForwardToLayer(a.latentLayer(), x).get(a.latentLayer() + 1);
      INDArray noise = Nd4j.randn(DataType.FLOAT, (long) a.samples() * x.rows(), a.latentDim());
      layer.fixNoise(noise);
      double expected = SameDiffElboReference.evaluate(
          (ElboOutputLayer) layer.conf().getLayer(), savedParams, input, x, noise).loss();
      double score = net.score(new DataSet(x, x)) * x.rows();
      // The network runs in float32, the reference in double.
      assertEquals(expected, score, 1e-5 * Math.abs(expected) + 1e-4, name + ": loss");
    }
  }
}
