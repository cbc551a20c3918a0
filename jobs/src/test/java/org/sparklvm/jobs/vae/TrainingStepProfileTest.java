package org.sparklvm.jobs.vae;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitUtil;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
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
import org.sparklvm.core.vae.Objective;
import org.sparklvm.core.vae.VaeArchitecture;
import org.sparklvm.core.vae.VaeNetwork;

/**
 * A measurement, not a check (run with {@code -Dlvm.profile=true}): rows per second of one worker's
 * minibatch steps without Spark, for (a) the VAE network as trained (dense encoder, the hand-written
 * {@code ElboOutputLayer}), (b) the same network with the SameDiff output layer it replaced ({@link
 * SameDiffElbo}, a copy of its graph for a Bernoulli ELBO with one draw), (c) a prototype of the same
 * matrix sizes with DL4J's built-in layers and their hand-written gradients (a deterministic
 * autoencoder 784-256-32, 16 of them to a 256 ReLU layer and a sigmoid output with binary
 * cross-entropy), and all three rebuilt from their configuration every 5 steps, as dl4j-spark's
 * stock worker does. The networks take turns, a block of steps each, so that the machine's load falls
 * on all alike.
 */
class TrainingStepProfileTest {

  private static final Logger LOG = LoggerFactory.getLogger(TrainingStepProfileTest.class);
  private static final int BATCH = 64;
  private static final int BLOCK = 100;
  private static final int ROUNDS = 3;

  /** A network being timed: its current instance (replaced when rebuilt) and its time so far. */
  private static final class Timed {
    final MultiLayerConfiguration conf;
    final int rebuildEvery;
    MultiLayerNetwork net;
    long nanos;
    long steps;

    Timed(MultiLayerConfiguration conf, int rebuildEvery) {
      this.conf = conf;
      this.rebuildEvery = rebuildEvery;
      net = new MultiLayerNetwork(conf.clone());
      net.init();
    }

    void run(DataSet batch, int count) {
      long t0 = System.nanoTime();
      for (int i = 0; i < count; i++) {
        if (rebuildEvery > 0 && steps % rebuildEvery == 0) {
          MultiLayerNetwork fresh = new MultiLayerNetwork(conf.clone());
          fresh.init(net.params().dup(), false);
          net = fresh;
        }
        net.fit(batch);
        steps++;
      }
      nanos += System.nanoTime() - t0;
    }

    double rowsPerSecond() {
      return steps * (double) BATCH / (nanos / 1e9);
    }
  }

  @Test
  void stepsPerSecond() {
    assumeTrue(Boolean.getBoolean("lvm.profile"), "a measurement: -Dlvm.profile=true");
    int d = Integer.getInteger("lvm.profile.dims", 784);
    int hidden = Integer.getInteger("lvm.profile.hidden", 256);
    int latent = Integer.getInteger("lvm.profile.latent", 16);
    INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, d).gt(0.5).castTo(DataType.FLOAT);
    DataSet batch = new DataSet(x, x);
    VaeArchitecture arch = new VaeArchitecture(d, latent, new int[] {hidden}, new int[] {hidden},
        Likelihood.BERNOULLI, Objective.ELBO, 1, 1.0, 1e-3, 256, 1);
    Map<String, Timed> timed = new LinkedHashMap<>();
    timed.put("hand-written VAE layer", new Timed(VaeNetwork.configuration(arch), 0));
    timed.put("SameDiff VAE layer", new Timed(sameDiff(d, hidden, latent), 0));
    timed.put("built-in layers", new Timed(builtIn(d, hidden, latent), 0));
    timed.put("hand-written rebuilt every 5", new Timed(VaeNetwork.configuration(arch), 5));
    timed.put("SameDiff rebuilt every 5", new Timed(sameDiff(d, hidden, latent), 5));
    timed.put("built-in rebuilt every 5", new Timed(builtIn(d, hidden, latent), 5));
    for (Timed t : timed.values()) {
      t.run(batch, 30); // warm-up
      t.nanos = 0;
      t.steps = 0;
    }
    for (int round = 0; round < ROUNDS; round++) {
      for (Timed t : timed.values()) {
        t.run(batch, BLOCK);
      }
    }
    StringBuilder report = new StringBuilder();
    double handWritten = timed.get("hand-written VAE layer").rowsPerSecond();
    for (Map.Entry<String, Timed> e : timed.entrySet()) {
      double rate = e.getValue().rowsPerSecond();
      report.append(String.format("; %s %.0f rows/s (%.2fx the hand-written)", e.getKey(), rate,
          rate / handWritten));
      assertTrue(rate > 0);
    }
    // warn: the test logs show warnings only.
    LOG.warn("one worker, batch {}, {}-{}-{}, ND4J threads {}{}", BATCH, d, hidden, latent,
        Nd4j.getEnvironment().maxMasterThreads(), report);
  }

  private static NeuralNetConfiguration.ListBuilder encoder(int d, int hidden, int latent) {
    return new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
        .weightInit(WeightInit.XAVIER).updater(new Adam(1e-3)).list()
        .layer(new DenseLayer.Builder().nIn(d).nOut(hidden).activation(Activation.RELU)
            .weightInit(WeightInit.RELU).build())
        .layer(new DenseLayer.Builder().nIn(hidden).nOut(2 * latent)
            .activation(Activation.IDENTITY).build());
  }

  private static MultiLayerConfiguration sameDiff(int d, int hidden, int latent) {
    return encoder(d, hidden, latent).layer(new SameDiffElbo(latent, hidden, d)).build();
  }

  private static MultiLayerConfiguration builtIn(int d, int hidden, int latent) {
    return encoder(d, hidden, latent)
        .layer(new DenseLayer.Builder().nIn(2 * latent).nOut(hidden).activation(Activation.RELU)
            .build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(hidden).nOut(d)
            .activation(Activation.SIGMOID).build())
        .build();
  }

  /**
   * The SameDiff output layer the VAE trained with before the hand-written one (commit 76a5a51), for a
   * Bernoulli decoder with one ReLU layer, the ELBO and one draw: the same ops in the same order.
   */
  public static final class SameDiffElbo extends SameDiffOutputLayer {

    private static final long serialVersionUID = 1L;
    private static final int MAX_BATCH = 256;
    private int latentDim;
    private int hidden;
    private int dataDim;

    public SameDiffElbo() {}

    SameDiffElbo(int latentDim, int hidden, int dataDim) {
      this.latentDim = latentDim;
      this.hidden = hidden;
      this.dataDim = dataDim;
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, SDVariable labels,
        Map<String, SDVariable> p) {
      SDVariable mu = input.mmul(columns(sd, input, 0));
      SDVariable logVar = input.mmul(columns(sd, input, latentDim));
      SDVariable sigma = sd.math().exp(logVar.mul(0.5));
      SDVariable begin = sd.constant(Nd4j.createFromArray(0L, 0L));
      SDVariable eps = sd.slice(
          sd.random().normal(0.0, 1.0, input.dataType(), MAX_BATCH, latentDim), begin, mu.shape());
      SDVariable z = mu.add(sigma.mul(eps));
      SDVariable h = sd.nn().relu(z.mmul(p.get("W0")).add(p.get("b0")), 0.0);
      SDVariable out = h.mmul(p.get("Wout")).add(p.get("bout"));
      SDVariable softplus = sd.nn().relu(out, 0.0)
          .add(sd.math().log1p(sd.math().exp(sd.math().abs(out).neg())));
      SDVariable logLik = labels.mul(out).sub(softplus).sum();
      sd.nn().sigmoid("reconstruction", out);
      SDVariable kl = sd.math().exp(logVar).add(mu.mul(mu)).sub(1.0).sub(logVar).sum().mul(0.5);
      SDVariable loss = logLik.sub(kl).neg();
      loss.markAsLoss();
      return loss;
    }

    private SDVariable columns(SameDiff sd, SDVariable input, int from) {
      INDArray pick = Nd4j.zeros(input.dataType(), 2L * latentDim, latentDim);
      for (int j = 0; j < latentDim; j++) {
        pick.putScalar(new long[] {from + j, j}, 1.0);
      }
      return sd.constant(pick);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
      return InputType.feedForward(dataDim);
    }

    @Override
    public String activationsVertexName() {
      return "reconstruction";
    }

    @Override
    public void defineParameters(SDLayerParams params) {
      params.addWeightParam("W0", latentDim, hidden);
      params.addBiasParam("b0", 1, hidden);
      params.addWeightParam("Wout", hidden, dataDim);
      params.addBiasParam("bout", 1, dataDim);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
      WeightInitUtil.initWeights(latentDim, hidden, new long[] {latentDim, hidden},
          WeightInit.RELU, null, 'c', params.get("W0"));
      WeightInitUtil.initWeights(hidden, dataDim, new long[] {hidden, dataDim}, WeightInit.XAVIER,
          null, 'c', params.get("Wout"));
      params.get("b0").assign(0.0);
      params.get("bout").assign(0.0);
    }

    public int getLatentDim() {
      return latentDim;
    }

    public void setLatentDim(int latentDim) {
      this.latentDim = latentDim;
    }

    public int getHidden() {
      return hidden;
    }

    public void setHidden(int hidden) {
      this.hidden = hidden;
    }

    public int getDataDim() {
      return dataDim;
    }

    public void setDataDim(int dataDim) {
      this.dataDim = dataDim;
    }
  }
}
