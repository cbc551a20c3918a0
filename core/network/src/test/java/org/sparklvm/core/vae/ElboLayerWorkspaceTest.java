package org.sparklvm.core.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training with DL4J's workspaces (its default) gives the same parameters, step for step, as training
 * without them: no array the {@link ElboLayer} returns or keeps is freed or overwritten early.
 */
class ElboLayerWorkspaceTest {

  private static MultiLayerNetwork network(VaeArchitecture a, WorkspaceMode mode, INDArray start) {
    MultiLayerConfiguration conf = VaeNetwork.configuration(a);
    conf.setTrainingWorkspaceMode(mode);
    conf.setInferenceWorkspaceMode(mode);
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init(start.dup(), true);
    return net;
  }

  @Test
  void workspacesChangeNothingOverThreeHundredSteps() {
    for (Objective objective : Objective.values()) {
      VaeArchitecture a = new VaeArchitecture(10, 3, new int[] {8}, new int[] {7, 6},
          Likelihood.GAUSSIAN, objective, 3, 1.0, 1e-2, 64, 23);
      MultiLayerNetwork reference = new MultiLayerNetwork(VaeNetwork.configuration(a));
      reference.init();
      INDArray start = reference.params().dup();
      MultiLayerNetwork with = network(a, WorkspaceMode.ENABLED, start);
      MultiLayerNetwork without = network(a, WorkspaceMode.NONE, start);
      Nd4j.getRandom().setSeed(5);
      int rows = 16;
      INDArray x = Nd4j.randn(DataType.FLOAT, rows, 10);
      DataSet data = new DataSet(x, x);
      double firstScore = Double.NaN;
      for (int step = 0; step < 300; step++) {
        // The same noise for both networks, new at every step.
        INDArray noise = Nd4j.randn(DataType.FLOAT, (long) a.samples() * rows, a.latentDim());
        ((ElboLayer) with.getLayer(with.getnLayers() - 1)).fixNoise(noise);
        ((ElboLayer) without.getLayer(without.getnLayers() - 1)).fixNoise(noise);
        with.fit(data);
        without.fit(data);
        assertEquals(without.score(), with.score(), 1e-6 * Math.abs(without.score()),
            objective + " step " + step);
        if (step == 0) {
          firstScore = with.score();
        }
      }
      assertArrayEquals(without.params().data().asFloat(), with.params().data().asFloat(),
          objective.toString());
      // 300 Adam steps on 16 rows lower the loss: the steps did train.
      assertTrue(with.score() < firstScore - 1.0, objective + ": " + firstScore + " to "
          + with.score());
    }
  }
}
