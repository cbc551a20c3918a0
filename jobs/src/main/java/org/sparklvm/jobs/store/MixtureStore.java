package org.sparklvm.jobs.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.model.MixtureFormat;
import org.sparklvm.core.model.ModelFormatException;
import org.sparklvm.core.model.ModelMetadata;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Reads and writes mixture model directories ({@code metadata.json} plus the {@code components}
 * Parquet table) on any Hadoop file system.
 */
public final class MixtureStore {

  static final StructType COMPONENT_SCHEMA = new StructType()
      .add("component", DataTypes.IntegerType, false)
      .add("weight", DataTypes.DoubleType, false)
      .add("mean", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
      .add("covariance", DataTypes.createArrayType(DataTypes.DoubleType, false), false);

  private MixtureStore() {}

  /**
   * Writes a model directory atomically.
   *
   * @throws org.sparklvm.jobs.UserInputException when {@code path} exists and not {@code overwrite}
   */
  /**
   * @param extra writes more into the directory before it is moved into place (the pictures)
   */
  public static void save(SparkSession spark, StoredMixture stored, String path, boolean overwrite,
      AtomicOutput.Writer extra) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    AtomicOutput.write(conf, path, overwrite, dir -> {
      GaussianMixtureModel m = stored.model();
      List<Row> rows = new ArrayList<>();
      for (int c = 0; c < m.k(); c++) {
        rows.add(RowFactory.create(c, m.weights()[c], boxed(m.mean(c)), boxed(m.covariance(c))));
      }
      spark.createDataFrame(rows, COMPONENT_SCHEMA).coalesce(1).write()
          .parquet(new Path(dir, MixtureFormat.COMPONENTS).toString());
      ModelFiles.writePlotSample(conf, dir, stored.plotSample());
      extra.write(dir);
      ModelFiles.writeMetadata(conf, dir, stored.metadata());
    });
  }

  /**
   * Reads a model directory, checking the format, version and every shape.
   *
   * @throws ModelFormatException naming the file and what is wrong with it
   */
  public static StoredMixture load(SparkSession spark, String path) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path dir = new Path(path);
    Path metaPath = new Path(dir, ModelFiles.METADATA);
    ModelMetadata meta =
        ModelFiles.readMetadata(conf, path, MixtureFormat.FORMAT, MixtureFormat.VERSION);
    CovarianceType type = MixtureFormat.settings(meta.params(), metaPath.toString()).covarianceType();
    String componentsPath = new Path(dir, MixtureFormat.COMPONENTS).toString();
    List<Row> rows;
    try {
      rows = spark.read().parquet(componentsPath).collectAsList();
    } catch (Exception e) {
      // Spark's AnalysisException (a missing path) is checked in Java's eyes, hence Exception.
      throw new ModelFormatException("cannot read the components of model " + path + " ("
          + componentsPath + "): " + e.getMessage(), e);
    }
    return new StoredMixture(components(rows, type, meta, componentsPath), meta,
        ModelFiles.readPlotSample(conf, path));
  }

  private static GaussianMixtureModel components(
      List<Row> rows, CovarianceType type, ModelMetadata meta, String where) {
    int k = meta.params().path("k").asInt(-1);
    if (rows.size() != k) {
      throw new ModelFormatException(where + " holds " + rows.size() + " components but "
          + ModelFiles.METADATA + " says k = " + k);
    }
    double[] weights = new double[k];
    double[][] means = new double[k][];
    double[][] covs = new double[k][];
    boolean[] seen = new boolean[k];
    try {
      for (Row r : rows) {
        int c = r.getInt(r.fieldIndex("component"));
        if (c < 0 || c >= k || seen[c]) {
          throw new ModelFormatException(where + " has a bad or repeated component index " + c);
        }
        seen[c] = true;
        weights[c] = r.getDouble(r.fieldIndex("weight"));
        means[c] = unboxed(r.getList(r.fieldIndex("mean")));
        covs[c] = unboxed(r.getList(r.fieldIndex("covariance")));
      }
      return new GaussianMixtureModel(type, weights, means, covs);
    } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
      throw new ModelFormatException(where + ": " + e.getMessage(), e);
    }
  }

  private static Seq<Double> boxed(double[] values) {
    return JavaConverters.asScalaBuffer(Arrays.stream(values).boxed().toList()).toSeq();
  }

  private static double[] unboxed(List<Object> values) {
    return values.stream().mapToDouble(v -> (Double) v).toArray();
  }
}
