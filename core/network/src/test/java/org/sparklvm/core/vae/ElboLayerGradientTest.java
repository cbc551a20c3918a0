package org.sparklvm.core.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The hand-written loss and gradients of {@link ElboLayer} equal SameDiff's automatic ones for the
 * same loss ({@link SameDiffElboReference}, double precision) with the same parameters, input and
 * noise; and DL4J's numerical gradient check passes on a small network through an encoder layer.
 */
class ElboLayerGradientTest {

  private static final double TOLERANCE = 1e-5;

  private static MultiLayerNetwork alone(ElboOutputLayer conf, long seed) {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
        .dataType(DataType.DOUBLE).updater(new NoOp()).list().layer(conf).build());
    net.init();
    // Non-zero biases and log-variances too, so that their gradients are exercised.
    net.setParams(Nd4j.randn(DataType.DOUBLE, 1, net.numParams()).muli(0.4));
    net.initGradientsView();
    return net;
  }

  private static void assertClose(INDArray expected, INDArray actual, String what) {
    double scale = Math.max(1.0, expected.norm2Number().doubleValue());
    double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE).reshape(
        expected.shape())).norm2Number().doubleValue();
    assertTrue(diff <= TOLERANCE * scale, what + ": |difference| " + diff + " against |expected| "
        + scale + "\nexpected " + expected + "\nactual " + actual);
  }

  private static void check(Likelihood likelihood, Objective objective, int samples, double beta,
      int latent, int[] decoder, int rows) {
    String what = likelihood + " " + objective + " samples " + samples + " beta " + beta
        + " latent " + latent + " rows " + rows;
    int data = 6;
    // maxBatch 2, below most minibatches here: it bounded the SameDiff layer's noise, no longer any.
    ElboOutputLayer conf = new ElboOutputLayer(latent, decoder, data, likelihood, objective,
        samples, beta, 2);
    Nd4j.getRandom().setSeed(11);
    MultiLayerNetwork net = alone(conf, 3);
    ElboLayer layer = (ElboLayer) net.getLayer(0);
    INDArray input = Nd4j.randn(DataType.DOUBLE, rows, 2L * latent).muli(0.7);
    INDArray x = likelihood == Likelihood.BERNOULLI
        ? Nd4j.rand(DataType.DOUBLE, rows, data).gt(0.5).castTo(DataType.DOUBLE)
        : Nd4j.randn(DataType.DOUBLE, rows, data);
    INDArray noise = Nd4j.randn(DataType.DOUBLE, (long) samples * rows, latent);
    layer.fixNoise(noise);

    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    layer.setInput(input, mgr);
    layer.setLabels(x);
    Pair<Gradient, INDArray> mine = layer.backpropGradient(null, mgr);
    double loss = layer.computeScore(0.0, true, mgr) * rows;
    SameDiffElboReference.Result ref =
        SameDiffElboReference.evaluate(conf, layer.paramTable(), input, x, noise);

    assertEquals(ref.loss(), loss, 1e-9 * Math.max(1.0, Math.abs(ref.loss())), what + ": loss");
    // A fresh pass (not the backward pass's kept loss) gives the same loss with the same noise.
    assertEquals(ref.loss(), layer.computeScore(0.0, false, mgr) * rows,
        1e-9 * Math.max(1.0, Math.abs(ref.loss())), what + ": loss of a forward pass");
    assertEquals(ref.loss(), layer.computeScoreForExamples(0.0, mgr).sumNumber().doubleValue(),
        1e-9 * Math.max(1.0, Math.abs(ref.loss())), what + ": per-row losses");
    for (Map.Entry<String, INDArray> e : mine.getFirst().gradientForVariable().entrySet()) {
      assertClose(ref.gradients().get(e.getKey()), e.getValue(), what + ": d/d " + e.getKey());
    }
    assertEquals(layer.paramTable().keySet(), mine.getFirst().gradientForVariable().keySet(), what);
    assertClose(ref.gradients().get(SameDiffElboReference.INPUT), mine.getSecond(),
        what + ": d/d input");
  }

  @Test
  void elboGradientsEqualSameDiffs() {
    for (Likelihood likelihood : Likelihood.values()) {
      check(likelihood, Objective.ELBO, 1, 1.0, 3, new int[] {5, 4}, 4);
      check(likelihood, Objective.ELBO, 3, 0.5, 3, new int[] {5, 4}, 4);
      check(likelihood, Objective.ELBO, 3, 1.0, 3, new int[0], 4);
    }
  }

  @Test
  void iwaeGradientsEqualSameDiffs() {
    for (Likelihood likelihood : Likelihood.values()) {
      check(likelihood, Objective.IWAE, 5, 1.0, 3, new int[] {5, 4}, 4);
      check(likelihood, Objective.IWAE, 5, 0.5, 3, new int[] {5}, 4);
      check(likelihood, Objective.IWAE, 1, 1.0, 3, new int[] {5}, 4);
    }
  }

  @Test
  void oneRowAndOneLatentDimension() {
    for (Likelihood likelihood : Likelihood.values()) {
      for (Objective objective : Objective.values()) {
        int samples = objective == Objective.IWAE ? 5 : 3;
        check(likelihood, objective, samples, 0.5, 3, new int[] {5, 4}, 1);
        check(likelihood, objective, samples, 1.0, 1, new int[] {5, 4}, 4);
        check(likelihood, objective, samples, 1.0, 1, new int[] {4}, 1);
      }
    }
  }

  @Test
  void dl4jNumericalGradientCheckPasses() {
    // GradientCheckUtil insists on double as ND4J's default type, not just the network's.
    DataType defaultType = Nd4j.defaultFloatingPointType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      numericalGradientCheck();
    } finally {
      Nd4j.setDefaultDataTypes(defaultType, defaultType);
    }
  }

  private static void numericalGradientCheck() {
    for (Likelihood likelihood : Likelihood.values()) {
      for (Objective objective : Objective.values()) {
        int samples = objective == Objective.IWAE ? 4 : 2;
        int rows = 3;
        int latent = 2;
        int data = 5;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5)
            .dataType(DataType.DOUBLE).updater(new NoOp()).list()
            .layer(new DenseLayer.Builder().nIn(data).nOut(2 * latent)
                .activation(Activation.TANH).build())
            .layer(new ElboOutputLayer(latent, new int[] {4}, data, likelihood, objective, samples,
                0.7, 64))
            .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.setParams(Nd4j.randn(DataType.DOUBLE, 1, net.numParams()).muli(0.5));
        ((ElboLayer) net.getLayer(1)).fixNoise(
            Nd4j.randn(DataType.DOUBLE, (long) samples * rows, latent));
        INDArray x = likelihood == Likelihood.BERNOULLI
            ? Nd4j.rand(DataType.DOUBLE, rows, data).gt(0.5).castTo(DataType.DOUBLE)
            : Nd4j.randn(DataType.DOUBLE, rows, data);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
            .input(x).labels(x).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
            .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, likelihood + " " + objective);
      }
    }
  }
}
