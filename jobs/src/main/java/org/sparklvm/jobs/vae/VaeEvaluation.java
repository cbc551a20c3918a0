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

  /** At most this many rows are scored (K draws each) for the summary and the anomaly quantiles. */
  public static final int MAX_ROWS = 10_000;

  private VaeEvaluation() {}

  /**
   * The IWAE estimate with {@code samples} draws from {@code q(z|x)} for every row, or for a uniform
   * sample of about {@link #MAX_ROWS} rows when there are more; each partition draws from a generator
   * seeded by {@code seed} and its index.
   */
  public static double[] logLikelihoods(JavaSparkContext sc, MultiLayerNetwork network,
      VaeArchitecture architecture, JavaRDD<DataSet> rows, int samples, long seed) {
    long count = rows.count();
    JavaRDD<DataSet> scored =
        count > MAX_ROWS ? rows.sample(false, (double) MAX_ROWS / count, seed) : rows;
    try (NetworkBroadcast shipped = new NetworkBroadcast(sc, network, architecture)) {
      List<Double> values = scored.mapPartitionsWithIndex((index, it) -> {
        VaeModel model = shipped.model();
        Random random = new Random(seed * 1_000_003L + index);
        List<Double> out = new ArrayList<>();
        while (it.hasNext()) {
          double[] x = it.next().getFeatures().castTo(DataType.DOUBLE).toDoubleVector();
          out.add(ImportanceSampler.estimate(model, x, samples,
              ImportanceSampler.Proposal.POSTERIOR, random, Math.min(samples, 1000))
              .logLikelihood());
        }
        return out.iterator();
      }, true).collect();
      return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }
}
