package org.sparklvm.jobs.vae;

import java.util.Iterator;
import java.util.Random;
import java.util.stream.IntStream;
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
import org.sparklvm.jobs.store.StoredVae;

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
  public static Dataset<Row> sample(SparkSession spark, StoredVae stored, long n, long seed,
      int partitions, boolean random, String featuresCol) {
    if (n < 0 || partitions < 1) {
      throw new IllegalArgumentException(
          "rows must be >= 0 and partitions >= 1, got " + n + " and " + partitions);
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    NetworkBroadcast shipped = new NetworkBroadcast(sc, stored.network(), stored.architecture());
    int parts = (int) Math.max(1, Math.min(partitions, Math.max(1, n)));
    JavaRDD<Row> rows = sc.parallelize(IntStream.range(0, parts).boxed().toList(), parts)
        .flatMap(p -> {
          long count = n / parts + (p < n % parts ? 1 : 0);
          VaeModel model = shipped.model();
          Random rng = new Random(seed * 1_000_003L + p);
          int l = model.latentDim();
          return new Iterator<Row>() {
            private long drawn;

            @Override
            public boolean hasNext() {
              return drawn < count;
            }

            @Override
            public Row next() {
              drawn++;
              double[] z = new double[l];
              for (int i = 0; i < l; i++) {
                z[i] = rng.nextGaussian();
              }
              double[] x = model.decodeMean(z, 1);
              if (random) {
                model.drawObservation(x.clone(), rng, x);
              }
              return RowFactory.create(Vectors.dense(x));
            }
          };
        });
    return spark.createDataFrame(rows,
        new StructType().add(featuresCol, SQLDataTypes.VectorType(), false));
  }
}
