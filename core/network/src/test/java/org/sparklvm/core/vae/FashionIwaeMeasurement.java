package org.sparklvm.core.vae;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A measurement for the report, not a test (skipped unless {@code -Dlvm.measure.fashion=true}):
 * Fashion-MNIST (Debian's dataset-fashion-mnist), the same network and epochs trained on the ELBO
 * (K 1) and on the IWAE bound with K 5, then the test rows' IWAE(1000) and the training seconds
 * per example of each. Plain DL4J in one JVM (no Spark): the objective alone differs.
 */
class FashionIwaeMeasurement {

  private static final String DIR = "/usr/share/datasets/fashion-mnist/";

  /** The first {@code rows} images of an IDX3 file, pixels / 255. */
  private static INDArray images(String file, int rows) throws IOException {
    try (DataInputStream in = new DataInputStream(
        new GZIPInputStream(new FileInputStream(DIR + file)))) {
      in.readInt();
      int count = Math.min(rows, in.readInt());
      int size = in.readInt() * in.readInt();
      float[] pixels = new float[count * size];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = in.readUnsignedByte() / 255f;
      }
      return Nd4j.create(pixels, new long[] {count, size}, 'c');
    }
  }

  @Test
  void iwaeAgainstElboOnFashionMnist() throws IOException {
    assumeTrue(Boolean.getBoolean("lvm.measure.fashion"), "a measurement, run on request");
    int trainRows = Integer.getInteger("lvm.measure.rows", 10_000);
    int testRows = Integer.getInteger("lvm.measure.testRows", 500);
    int epochs = Integer.getInteger("lvm.measure.epochs", 5);
    INDArray train = images("train-images-idx3-ubyte.gz", trainRows);
    INDArray test = images("t10k-images-idx3-ubyte.gz", testRows);
    for (int k : new int[] {1, 5}) {
      VaeArchitecture arch = new VaeArchitecture(784, 16, new int[] {256}, new int[] {256},
          Likelihood.BERNOULLI, k == 1 ? Objective.ELBO : Objective.IWAE, k, 1.0, 1e-3, 256, 42);
      MultiLayerNetwork net = new MultiLayerNetwork(VaeNetwork.configuration(arch));
      net.init();
      long t0 = System.nanoTime();
      for (int epoch = 0; epoch < epochs; epoch++) {
        for (int b = 0; b < train.rows(); b += 100) {
          INDArray batch = train.get(NDArrayIndex.interval(b, Math.min(train.rows(), b + 100)),
              NDArrayIndex.all());
          net.fit(new DataSet(batch, batch));
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      VaeModel model = new VaeModel(net, arch);
      Random random = new Random(1);
      double iwae = 0;
      double elbo = 0;
      for (int i = 0; i < test.rows(); i++) {
        double[] x = test.getRow(i).castTo(DataType.DOUBLE).toDoubleVector();
        iwae += ImportanceSampler.estimate(model, x, 1000, ImportanceSampler.Proposal.POSTERIOR,
            random, 1000).logLikelihood() / test.rows();
        elbo += Elbo.estimate(model, x, 100, random).elbo() / test.rows();
      }
      System.err.printf("fashion K %d (%s): %d rows x %d epochs, %.1f s, %.3f ms/example;"
          + " test (%d rows) ELBO %.2f, IWAE(1000) %.2f%n", k, arch.objective().id(), trainRows,
          epochs, seconds, 1e3 * seconds / ((double) trainRows * epochs), testRows, elbo, iwae);
    }
  }
}
