package org.sparklvm.jobs.gmm;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.jobs.data.Generated;

/**
 * Draws rows from a mixture by ancestral sampling, spread over partitions. Partition {@code p} draws its
 * share with its own generator seeded from {@code (seed, p)}, so the output depends only on the seed and
 * the number of partitions. Rows have the model's feature columns (a vector column or numeric columns
 * under the training names) and the {@code component} they were drawn from.
 */
public final class MixtureSampleJob {

  public static final String COMPONENT = "component";

  private MixtureSampleJob() {}

  /**
   * @param featuresCol vector column to write, or null to write {@code featureCols}
   * @param featureCols numeric column names, one per dimension, when {@code featuresCol} is null
   * @throws IllegalArgumentException when {@code n} is negative or the names do not match the model
   */
  public static Dataset<Row> sample(SparkSession spark, GaussianMixtureModel model, long n,
      long seed, int partitions, String featuresCol, List<String> featureCols) {
    if (featuresCol == null && featureCols.size() != model.dim()) {
      throw new IllegalArgumentException("the model has " + model.dim() + " dimensions but "
          + featureCols.size() + " feature column names");
    }
    StructType schema = new StructType();
    if (featuresCol != null) {
      schema = schema.add(featuresCol, SQLDataTypes.VectorType(), false);
    } else {
      for (String c : featureCols) {
        schema = schema.add(c, DataTypes.DoubleType, false);
      }
    }
    schema = schema.add(COMPONENT, DataTypes.IntegerType, false);
    boolean vector = featuresCol != null;
    JavaRDD<Row> rows = Generated.rows(JavaSparkContext.fromSparkContext(spark.sparkContext()), n,
        partitions, seed, random -> {
          double[] x = new double[model.dim()];
          return () -> {
            int c = model.sample(random, x);
            return toRow(x, c, vector);
          };
        });
    return spark.createDataFrame(rows, schema);
  }

  private static Row toRow(double[] x, int component, boolean vector) {
    if (vector) {
      return RowFactory.create(Vectors.dense(x.clone()), component);
    }
    Object[] values = new Object[x.length + 1];
    for (int j = 0; j < x.length; j++) {
      values[j] = x[j];
    }
    values[x.length] = component;
    return RowFactory.create(values);
  }
}
