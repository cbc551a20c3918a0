package org.sparklvm.jobs.vae;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.sparklvm.core.vae.ImportanceSampler;
import org.sparklvm.core.vae.VaeArchitecture;
import org.sparklvm.core.vae.VaeModel;

/**
 * The importance-sampled log-likelihood of rows under a trained VAE, computed where the rows are: the
 * configuration (JSON) and the parameters are broadcast, each partition rebuilds the network once.
 */
public final class VaeEvaluation {

  private VaeEvaluation() {}

  /**
   * Mean over the rows of the IWAE estimate with {@code samples} draws from {@code q(z|x)}; each
   * partition draws from a generator seeded by {@code seed} and its index.
   */
  public static double meanLogLikelihood(JavaSparkContext sc, MultiLayerNetwork network,
      VaeArchitecture architecture, JavaRDD<DataSet> rows, int samples, long seed) {
    try (NetworkBroadcast shipped = new NetworkBroadcast(sc, network, architecture)) {
      List<double[]> sums = rows.mapPartitionsWithIndex((index, it) -> {
        VaeModel model = shipped.model();
        Random random = new Random(seed * 1_000_003L + index);
        double sum = 0.0;
        long count = 0;
        while (it.hasNext()) {
          double[] x = it.next().getFeatures().castTo(DataType.DOUBLE).toDoubleVector();
          sum += ImportanceSampler.estimate(model, x, samples,
              ImportanceSampler.Proposal.POSTERIOR, random, Math.min(samples, 1000)).logLikelihood();
          count++;
        }
        List<double[]> out = new ArrayList<>();
        out.add(new double[] {sum, count});
        return out.iterator();
      }, true).collect();
      double sum = 0.0;
      double count = 0.0;
      for (double[] s : sums) {
        sum += s[0];
        count += s[1];
      }
      return sum / count;
    }
  }
}
