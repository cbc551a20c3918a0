package org.sparklvm.jobs.vae;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.core.vae.VaeModel;
import org.sparklvm.jobs.data.Generated;

/**
 * Generation: {@code z ~ N(0, I)}, then the decoder's mean of {@code p(x|z)} (or a draw from it),
 * spread over partitions, partition {@code p} seeded from {@code (seed, p)}.
 */
public final class VaeSampleJob {

  private VaeSampleJob() {}

  /**
   * @param random draw x from p(x|z) instead of taking its mean
   * @throws IllegalArgumentException when {@code n} is negative or {@code partitions} below 1
   */
  public static Dataset<Row> sample(SparkSession spark, TrainedVae vae, long n, long seed,
      int partitions, boolean random, String featuresCol) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    NetworkBroadcast shipped = new NetworkBroadcast(sc, vae.network(), vae.architecture());
    JavaRDD<Row> rows = Generated.rows(sc, n, partitions, seed, rng -> {
      VaeModel model = shipped.model();
      int l = model.latentDim();
      return () -> {
        double[] z = new double[l];
        for (int i = 0; i < l; i++) {
          z[i] = rng.nextGaussian();
        }
        double[] x = model.decodeMean(z, 1);
        if (random) {
          model.drawObservation(x.clone(), rng, x);
        }
        return RowFactory.create(Vectors.dense(x));
      };
    });
    return spark.createDataFrame(rows,
        new StructType().add(featuresCol, SQLDataTypes.VectorType(), false));
  }
}
