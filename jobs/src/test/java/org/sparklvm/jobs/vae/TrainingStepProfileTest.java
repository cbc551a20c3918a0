package org.sparklvm.jobs.vae;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklvm.core.vae.Likelihood;
import org.sparklvm.core.vae.VaeArchitecture;
import org.sparklvm.core.vae.VaeNetwork;

/**
 * A measurement, not a check (run with {@code -Dlvm.profile=true}): minibatch steps per second of one
 * worker without Spark, (a) the VAE network as trained (dense encoder, SameDiff {@code
 * ElboOutputLayer}), (b) a prototype of the same matrix sizes with DL4J's built-in layers and their
 * hand-written gradients (a deterministic autoencoder 784-256-32, 16 of them to a 256 ReLU layer and a
 * sigmoid output with binary cross-entropy), and (c) a network rebuilt from its configuration every
 * 5 steps, as dl4j-spark's stock worker does. (a) against (b) is what the SameDiff layer costs per
 * step; (c) against (a) what the rebuild costs.
 */
class TrainingStepProfileTest {

  private static final Logger LOG = LoggerFactory.getLogger(TrainingStepProfileTest.class);
  private static final int BATCH = 64;
  private static final int STEPS = 300;

  @Test
  void stepsPerSecond() {
    assumeTrue(Boolean.getBoolean("lvm.profile"), "a measurement: -Dlvm.profile=true");
    int d = Integer.getInteger("lvm.profile.dims", 784);
    int hidden = Integer.getInteger("lvm.profile.hidden", 256);
    int latent = Integer.getInteger("lvm.profile.latent", 16);
    INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, d).gt(0.5).castTo(DataType.FLOAT);
    DataSet batch = new DataSet(x, x);
    VaeArchitecture arch = new VaeArchitecture(d, latent, new int[] {hidden}, new int[] {hidden},
        Likelihood.BERNOULLI, 1, 1.0, 1e-3, 256, 1);
    MultiLayerNetwork vae = new MultiLayerNetwork(VaeNetwork.configuration(arch));
    vae.init();
    double vaeRate = rate(vae, batch, 0, null);
    MultiLayerNetwork builtIn = new MultiLayerNetwork(builtIn(d, hidden, latent));
    builtIn.init();
    double builtInRate = rate(builtIn, batch, 0, null);
    double rebuiltRate = rate(vae, batch, 5, VaeNetwork.configuration(arch));
    // warn: the test logs show warnings only.
    LOG.warn("one worker, batch {}, {}-{}-{}: SameDiff VAE layer {} rows/s; built-in layers {}"
        + " rows/s ({}x); VAE rebuilt every 5 steps {} rows/s; ND4J threads {}", BATCH, d, hidden,
        latent, String.format("%.0f", vaeRate), String.format("%.0f", builtInRate),
        String.format("%.2f", builtInRate / vaeRate), String.format("%.0f", rebuiltRate),
        Nd4j.getEnvironment().maxMasterThreads());
    assertTrue(vaeRate > 0 && builtInRate > 0 && rebuiltRate > 0);
  }

  private static MultiLayerConfiguration builtIn(int d, int hidden, int latent) {
    return new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
        .weightInit(WeightInit.XAVIER).updater(new Adam(1e-3)).list()
        .layer(new DenseLayer.Builder().nIn(d).nOut(hidden).activation(Activation.RELU).build())
        .layer(new DenseLayer.Builder().nIn(hidden).nOut(2 * latent)
            .activation(Activation.IDENTITY).build())
        .layer(new DenseLayer.Builder().nIn(2 * latent).nOut(hidden).activation(Activation.RELU)
            .build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(hidden).nOut(d)
            .activation(Activation.SIGMOID).build())
        .build();
  }

  /** Rows per second of {@link #STEPS} steps after a warm-up, rebuilding every {@code every}. */
  private static double rate(MultiLayerNetwork net, DataSet batch, int every,
      MultiLayerConfiguration conf) {
    for (int i = 0; i < 30; i++) {
      net.fit(batch);
    }
    long t0 = System.nanoTime();
    MultiLayerNetwork current = net;
    for (int i = 0; i < STEPS; i++) {
      if (every > 0 && i % every == 0) {
        MultiLayerNetwork fresh = new MultiLayerNetwork(conf.clone());
        fresh.init(current.params().dup(), false);
        current = fresh;
      }
      current.fit(batch);
    }
    return STEPS * (double) BATCH / ((System.nanoTime() - t0) / 1e9);
  }
}
