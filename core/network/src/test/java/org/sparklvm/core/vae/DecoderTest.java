package org.sparklvm.core.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The decoder as scoring evaluates it: {@code log p(x|z)} and the mean of {@code p(x|z)} against a
 * plain-Java forward pass over the same parameters, with the Gaussian density from {@link
 * DiagonalGaussian}; and the parameter names and shapes that saved networks hold.
 */
class DecoderTest {

  private static MultiLayerNetwork network(VaeArchitecture arch, long seed) {
    MultiLayerNetwork net = new MultiLayerNetwork(VaeNetwork.configuration(arch));
    net.init();
    // Non-zero biases and log-variances, so that every parameter counts.
    Random random = new Random(seed);
    decoderParams(net).values().forEach(p -> {
      for (long i = 0; i < p.length(); i++) {
        p.putScalar(i, random.nextGaussian() * 0.7);
      }
    });
    return net;
  }

  private static Map<String, INDArray> decoderParams(MultiLayerNetwork net) {
    return net.getLayer(net.getnLayers() - 1).paramTable();
  }

  /** ReLU layers, then affine, in doubles: the decoder's output for one code. */
  private static double[] output(Map<String, INDArray> params, int hidden, double[] z) {
    double[] h = z;
    for (int i = 0; i <= hidden; i++) {
      INDArray w = params.get(i < hidden ? "W" + i : "Wout");
      INDArray b = params.get(i < hidden ? "b" + i : "bout");
      double[] next = new double[(int) w.columns()];
      for (int j = 0; j < next.length; j++) {
        double s = b.getDouble(0, j);
        for (int k = 0; k < h.length; k++) {
          s += h[k] * w.getDouble(k, j);
        }
        next[j] = i < hidden ? Math.max(s, 0.0) : s;
      }
      h = next;
    }
    return h;
  }

  private static double[] row(double[] z, int s, int l) {
    double[] r = new double[l];
    System.arraycopy(z, s * l, r, 0, l);
    return r;
  }

  private static double[] gaussians(Random random, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextGaussian();
    }
    return v;
  }

  @Test
  void bernoulliScoresAndMeansMatchAPlainForwardPass() {
    VaeArchitecture arch = new VaeArchitecture(5, 3, new int[] {4}, new int[] {6, 4},
        Likelihood.BERNOULLI, 1, 1.0, 1e-3, 64, 1);
    MultiLayerNetwork net = network(arch, 2);
    VaeModel model = new VaeModel(net, arch);
    Random random = new Random(3);
    double[] x = {0.0, 1.0, 0.25, 1.0, 0.0};
    int count = 7;
    double[] z = gaussians(random, count * 3);
    double[] logLik = new double[count];
    model.logLikelihood(x, z, count, logLik);
    double[] means = model.decodeMean(z, count);
    for (int s = 0; s < count; s++) {
      double[] logits = output(decoderParams(net), 2, row(z, s, 3));
      double expected = 0.0;
      for (int j = 0; j < 5; j++) {
        double p = 1.0 / (1.0 + Math.exp(-logits[j]));
        expected += x[j] * Math.log(p) + (1.0 - x[j]) * Math.log(1.0 - p);
        assertEquals(p, means[s * 5 + j], 1e-12, "mean " + j + " of code " + s);
      }
      assertEquals(expected, logLik[s], 1e-10, "log p(x|z) of code " + s);
    }
  }

  @Test
  void gaussianScoresAndMeansMatchAPlainForwardPass() {
    VaeArchitecture arch = new VaeArchitecture(4, 2, new int[0], new int[] {3},
        Likelihood.GAUSSIAN, 1, 1.0, 1e-3, 64, 1);
    MultiLayerNetwork net = network(arch, 4);
    VaeModel model = new VaeModel(net, arch);
    Random random = new Random(5);
    double[] x = gaussians(random, 4);
    int count = 6;
    double[] z = gaussians(random, count * 2);
    double[] logLik = new double[count];
    model.logLikelihood(x, z, count, logLik);
    double[] means = model.decodeMean(z, count);
    double[] logVar = decoderParams(net).get("logVarOut").toDoubleVector();
    for (int s = 0; s < count; s++) {
      double[] mean = output(decoderParams(net), 1, row(z, s, 2));
      assertArrayEquals(mean, java.util.Arrays.copyOfRange(means, s * 4, s * 4 + 4), 1e-12);
      assertEquals(new DiagonalGaussian(mean, logVar).logDensity(x), logLik[s], 1e-10,
          "log p(x|z) of code " + s);
    }
  }

  @Test
  void oneCodeInOneDimensionScores() {
    VaeArchitecture arch = new VaeArchitecture(1, 1, new int[0], new int[0], Likelihood.GAUSSIAN,
        1, 1.0, 1e-3, 64, 1);
    MultiLayerNetwork net = network(arch, 6);
    double[] logLik = new double[1];
    new VaeModel(net, arch).logLikelihood(new double[] {0.3}, new double[] {-1.2}, 1, logLik);
    Map<String, INDArray> p = decoderParams(net);
    double mean = p.get("Wout").getDouble(0, 0) * -1.2 + p.get("bout").getDouble(0, 0);
    assertEquals(new DiagonalGaussian(new double[] {mean},
        new double[] {p.get("logVarOut").getDouble(0, 0)}).logDensity(new double[] {0.3}),
        logLik[0], 1e-10);
  }

  @Test
  void parametersKeepTheNamesAndShapesOfSavedNetworks() {
    VaeArchitecture arch = new VaeArchitecture(5, 3, new int[] {4}, new int[] {6, 4},
        Likelihood.GAUSSIAN, 1, 1.0, 1e-3, 64, 1);
    Layer out = network(arch, 1).getLayer(2);
    Map<String, INDArray> params = out.paramTable();
    // The order of the flattened parameter vector: weights, then biases.
    assertEquals(List.of("W0", "W1", "Wout", "b0", "b1", "bout", "logVarOut"),
        List.copyOf(params.keySet()));
    long[][] shapes = {{3, 6}, {6, 4}, {4, 5}, {1, 6}, {1, 4}, {1, 5}, {1, 5}};
    int i = 0;
    for (INDArray p : params.values()) {
      assertArrayEquals(shapes[i++], p.shape());
    }
  }
}
