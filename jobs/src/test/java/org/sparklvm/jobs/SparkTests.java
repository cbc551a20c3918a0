package org.sparklvm.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.vae.ProbabilisticPca;

/** The one local Spark session all tests share, and the data they make. */
public final class SparkTests {

  private static SparkSession session;

  private SparkTests() {}

  public static synchronized SparkSession spark() {
    if (session == null) {
      session = SparkSession.builder()
          .master("local[2]")
          .appName("spark-lvm tests")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          // Hadoop's scratch space (the VAE estimator's work folder) inside the build's folders.
          .config("spark.hadoop.hadoop.tmp.dir",
              java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "hadoop-tmp").toString())
          .getOrCreate();
    }
    return session;
  }

  /** Three well-separated components in three dimensions (weights 0.5, 0.3, 0.2). */
  public static GaussianMixtureModel planted() {
    return new GaussianMixtureModel(CovarianceType.FULL, new double[] {0.5, 0.3, 0.2},
        new double[][] {{0, 0, 0}, {6, 6, 0}, {-6, 4, 5}},
        new double[][] {
          {1.0, 0.5, 0.0, 0.5, 1.5, 0.2, 0.0, 0.2, 0.7},
          {2.0, 0.5, 0.1, 0.5, 1.5, 0.2, 0.1, 0.2, 1.0},
          {3.0, 0.5, 0.2, 0.5, 1.5, 0.2, 0.2, 0.2, 1.3}});
  }

  /**
   * Four separated components in three dimensions (weights 0.4, 0.3, 0.2, 0.1), for fits that
   * must find how many there are.
   */
  public static GaussianMixtureModel plantedFour() {
    return new GaussianMixtureModel(CovarianceType.FULL, new double[] {0.4, 0.3, 0.2, 0.1},
        new double[][] {{0, 0, 0}, {8, 0, 0}, {0, 8, 0}, {0, 0, 8}},
        new double[][] {
          {1.0, 0.3, 0.0, 0.3, 1.5, 0.2, 0.0, 0.2, 0.7},
          {2.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0},
          {1.0, -0.4, 0.0, -0.4, 1.0, 0.0, 0.0, 0.0, 0.5},
          {0.6, 0.0, 0.1, 0.0, 0.6, 0.0, 0.1, 0.0, 1.2}});
  }

  /** Rows of {@code model} as numeric columns x0..x(d-1) plus the true {@code component}. */
  public static Dataset<Row> columns(GaussianMixtureModel model, int rows, long seed) {
    Random random = new Random(seed);
    StructType schema = new StructType();
    for (int j = 0; j < model.dim(); j++) {
      schema = schema.add("x" + j, DataTypes.DoubleType, false);
    }
    schema = schema.add("component", DataTypes.IntegerType, false);
    List<Row> out = new ArrayList<>();
    double[] x = new double[model.dim()];
    for (int i = 0; i < rows; i++) {
      int c = model.sample(random, x);
      Object[] v = new Object[model.dim() + 1];
      for (int j = 0; j < x.length; j++) {
        v[j] = x[j];
      }
      v[x.length] = c;
      out.add(RowFactory.create(v));
    }
    return spark().createDataFrame(out, schema).repartition(3);
  }

  /** The same rows as a vector column {@code features}. */
  public static Dataset<Row> vectors(GaussianMixtureModel model, int rows, long seed) {
    Random random = new Random(seed);
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType(), false);
    List<Row> out = new ArrayList<>();
    double[] x = new double[model.dim()];
    for (int i = 0; i < rows; i++) {
      model.sample(random, x);
      out.add(RowFactory.create(Vectors.dense(x.clone())));
    }
    return spark().createDataFrame(out, schema).repartition(3);
  }

  /** Rows of {@code truth} with every coordinate moved by {@code offset}, in an {@code offset} column. */
  public static Dataset<Row> ppca(ProbabilisticPca truth, int n, Random random, double offset) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = truth.sample(random);
      for (int j = 0; j < x.length; j++) {
        x[j] += offset;
      }
      rows.add(RowFactory.create(Vectors.dense(x), offset));
    }
    return spark().createDataFrame(rows, new StructType()
        .add("features", SQLDataTypes.VectorType(), false)
        .add("offset", DataTypes.DoubleType, false)).repartition(2);
  }
}
