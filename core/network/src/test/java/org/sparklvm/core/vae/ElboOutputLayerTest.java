package org.sparklvm.core.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The network's loss (the hand-written {@link NegativeElbo}) is the negative ELBO as {@link Elbo}
 * computes it from the same parameters in plain Java, and training reaches the exact log-likelihood
 * of a linear-Gaussian model that a linear VAE can represent.
 */
class ElboOutputLayerTest {

  private static INDArray rows(ProbabilisticPca m, int n, Random random) {
    double[][] x = new double[n][];
    for (int i = 0; i < n; i++) {
      x[i] = m.sample(random);
    }
    return Nd4j.create(x).castTo(DataType.FLOAT);
  }

  private static double meanElbo(VaeModel model, INDArray x, int samples, Random random) {
    double s = 0;
    for (int i = 0; i < x.rows(); i++) {
      s += Elbo.estimate(model, x.getRow(i).castTo(DataType.DOUBLE).toDoubleVector(), samples,
          random).elbo();
    }
    return s / x.rows();
  }

  @Test
  void networkLossIsTheNegativeElbo() {
    for (Likelihood likelihood : Likelihood.values()) {
      VaeArchitecture arch = new VaeArchitecture(6, 3, new int[] {8}, new int[] {7}, likelihood, 200,
          1.0, 1e-3, 256, 5);
      MultiLayerNetwork net = new MultiLayerNetwork(VaeNetwork.configuration(arch));
      net.init();
      Random random = new Random(4);
      INDArray x = likelihood == Likelihood.BERNOULLI
          ? Nd4j.rand(DataType.FLOAT, 64, 6) : Nd4j.randn(DataType.FLOAT, 64, 6);
      double loss = net.score(new DataSet(x, x));
      double elbo = meanElbo(new VaeModel(net, arch), x, 2000, random);
      // Both are Monte Carlo (200 and 2000 draws per row, 64 rows): a few hundredths of a nat.
      assertEquals(-elbo, loss, 0.05 + 0.002 * Math.abs(elbo), likelihood.id());
    }
  }

  @Test
  void aOneDimensionalLatentSpaceTrains() {
    VaeArchitecture arch = new VaeArchitecture(4, 1, new int[] {4}, new int[] {4},
        Likelihood.BERNOULLI, 1, 1.0, 1e-3, 64, 5);
    MultiLayerNetwork net = new MultiLayerNetwork(VaeNetwork.configuration(arch));
    net.init();
    INDArray x = Nd4j.rand(DataType.FLOAT, 16, 4);
    net.fit(new DataSet(x, x));
    assertTrue(Double.isFinite(net.score(new DataSet(x, x))));
  }

  @Test
  void noiseIsDrawnAfreshOnEveryPass() {
    VaeArchitecture arch = new VaeArchitecture(4, 2, new int[0], new int[] {5},
        Likelihood.BERNOULLI, 1, 1.0, 1e-3, 64, 5);
    MultiLayerNetwork net = new MultiLayerNetwork(VaeNetwork.configuration(arch));
    net.init();
    INDArray x = Nd4j.rand(DataType.FLOAT, 16, 4);
    DataSet data = new DataSet(x, x);
    assertTrue(net.score(data) != net.score(data), "two passes gave the same single-draw loss");
  }

  @Test
  void aLinearVaeLearnsProbabilisticPcaToItsExactLikelihood() {
    // Orthogonal loadings: the posterior is diagonal, so a linear VAE can match p(x) exactly.
    ProbabilisticPca truth = new ProbabilisticPca(
        new double[] {2, 0, 0, 1.2, 0.5, 0, 0, 0, 0, 0}, new double[] {1, -1, 0.5, 0, 2}, 2, 0.2);
    Random random = new Random(7);
    INDArray train = rows(truth, 4000, random);
    INDArray test = rows(truth, 500, random);
    VaeArchitecture arch = new VaeArchitecture(5, 2, new int[0], new int[0], Likelihood.GAUSSIAN, 1,
        1.0, 1e-2, 256, 3);
    MultiLayerNetwork net = new MultiLayerNetwork(VaeNetwork.configuration(arch));
    net.init();
    for (int epoch = 0; epoch < 40; epoch++) {
      for (int b = 0; b < 4000; b += 100) {
        INDArray batch = train.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b, b + 100),
            org.nd4j.linalg.indexing.NDArrayIndex.all());
        net.fit(new DataSet(batch, batch));
      }
    }
    double exact = 0;
    for (int i = 0; i < test.rows(); i++) {
      exact += truth.logMarginal(test.getRow(i).castTo(DataType.DOUBLE).toDoubleVector())
          / test.rows();
    }
    VaeModel model = new VaeModel(net, arch);
    double elbo = meanElbo(model, test, 200, random);
    double iwae = 0;
    for (int i = 0; i < test.rows(); i++) {
      iwae += ImportanceSampler.estimate(model, test.getRow(i).castTo(DataType.DOUBLE)
          .toDoubleVector(), 200, ImportanceSampler.Proposal.POSTERIOR, random, 200)
          .logLikelihood() / test.rows();
    }
    assertTrue(elbo <= iwae + 0.01, "ELBO " + elbo + " above IWAE " + iwae);
    // Seen: exact -5.600, ELBO -5.612, IWAE(200) -5.599.
    assertEquals(exact, elbo, 0.05, "held-out ELBO per row vs the exact log-likelihood");
    assertEquals(exact, iwae, 0.03, "held-out IWAE per row vs the exact log-likelihood");
  }
}
