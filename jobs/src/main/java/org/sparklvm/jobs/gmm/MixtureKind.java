package org.sparklvm.jobs.gmm;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.gmm.MixturePrior;
import org.sparklvm.core.gmm.VariationalPosterior;
import org.sparklvm.core.model.MixtureFormat;
import org.sparklvm.core.model.MixtureSummary;
import org.sparklvm.core.model.ModelFormatException;
import org.sparklvm.core.model.ModelMetadata;
import org.sparklvm.jobs.plot.MixturePlots;
import org.sparklvm.jobs.store.ModelFiles;
import org.sparklvm.jobs.store.ModelKind;
import org.sparklvm.jobs.store.ModelStore;
import org.sparklvm.jobs.store.StoredModel;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Gaussian mixtures as model directories: the components are a Parquet table ({@code component,
 * weight, mean, covariance}, the covariance row-major) beside {@code metadata.json}. A variational
 * Bayesian fit's directory also holds its posterior ({@link PosteriorTable}), written by the kind
 * {@link #withPosterior} makes; every loader checks it against the components, and {@link #load}
 * keeps it.
 */
public final class MixtureKind implements ModelKind<GaussianMixtureModel, MixtureSummary> {

  /** The kind of every mixture directory, and the writer of a maximum likelihood fit's. */
  public static final MixtureKind INSTANCE = new MixtureKind(null);

  static final StructType COMPONENT_SCHEMA = new StructType()
      .add("component", DataTypes.IntegerType, false)
      .add("weight", DataTypes.DoubleType, false)
      .add("mean", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
      .add("covariance", DataTypes.createArrayType(DataTypes.DoubleType, false), false);

  private final VariationalPosterior posterior;

  private MixtureKind(VariationalPosterior posterior) {
    this.posterior = posterior;
  }

  /**
   * The kind that writes a variational fit's directory: its components must be {@code posterior}'s
   * expected mixture, and its metadata must hold the posterior's prior ({@link
   * MixtureFormat#params(MixturePrior)}).
   */
  public static MixtureKind withPosterior(VariationalPosterior posterior) {
    if (posterior == null) {
      throw new IllegalArgumentException("withPosterior needs a posterior");
    }
    return new MixtureKind(posterior);
  }

  /** The variational posterior this kind writes, or null for a maximum likelihood fit. */
  public VariationalPosterior posterior() {
    return posterior;
  }

  /**
   * Reads a mixture directory with its variational posterior, if it has one, so that writing it
   * again (a Spark ML model saved after loading) keeps the posterior.
   *
   * @throws ModelFormatException naming the file and what is wrong with it
   */
  public static StoredModel<GaussianMixtureModel, MixtureSummary> load(SparkSession spark,
      String path) {
    StoredModel<GaussianMixtureModel, MixtureSummary> stored =
        ModelStore.load(spark, INSTANCE, path);
    VariationalPosterior p = readPosterior(spark, path, stored.metadata(), stored.model());
    return p == null ? stored : new StoredModel<>(withPosterior(p), stored.model(),
        stored.metadata(), stored.plotSample());
  }

  @Override
  public String format() {
    return MixtureFormat.FORMAT;
  }

  @Override
  public int version() {
    return MixtureFormat.VERSION;
  }

  @Override
  public String modelClass() {
    return GaussianMixtureModel.class.getName();
  }

  @Override
  public Class<MixtureSummary> summaryType() {
    return MixtureSummary.class;
  }

  @Override
  public int dim(GaussianMixtureModel model) {
    return model.dim();
  }

  @Override
  public void writeParameters(SparkSession spark, GaussianMixtureModel m, Path dir) {
    List<Row> rows = new ArrayList<>();
    for (int c = 0; c < m.k(); c++) {
      rows.add(RowFactory.create(c, m.weights()[c], boxed(m.mean(c)), boxed(m.covariance(c))));
    }
    spark.createDataFrame(rows, COMPONENT_SCHEMA).coalesce(1).write()
        .parquet(new Path(dir, MixtureFormat.COMPONENTS).toString());
    if (posterior != null) {
      PosteriorTable.write(spark, posterior, new Path(dir, MixtureFormat.POSTERIOR));
    }
  }

  @Override
  public GaussianMixtureModel readParameters(SparkSession spark, String dir, ModelMetadata meta) {
    CovarianceType type = MixtureFormat.settings(meta.params(),
        new Path(dir, ModelFiles.METADATA).toString()).covarianceType();
    String componentsPath = new Path(dir, MixtureFormat.COMPONENTS).toString();
    List<Row> rows;
    try {
      rows = spark.read().parquet(componentsPath).collectAsList();
    } catch (Exception e) {
      // Spark's AnalysisException (a missing path) is checked in Java's eyes, hence Exception.
      throw new ModelFormatException("cannot read the components of model " + dir + " ("
          + componentsPath + "): " + e.getMessage(), e);
    }
    GaussianMixtureModel model = components(rows, type, meta, componentsPath);
    readPosterior(spark, dir, meta, model);
    return model;
  }

  /**
   * The posterior of a variational fit's directory, checked against its components, or null when
   * the metadata names no prior (a maximum likelihood fit).
   */
  private static VariationalPosterior readPosterior(SparkSession spark, String dir,
      ModelMetadata meta, GaussianMixtureModel components) {
    MixturePrior prior = MixtureFormat.prior(meta.params(),
        new Path(dir, ModelFiles.METADATA).toString());
    return prior == null ? null : PosteriorTable.read(spark,
        new Path(dir, MixtureFormat.POSTERIOR).toString(), prior, components.k(), components);
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
      return GaussianMixtureModel.validated(type, weights, means, covs);
    } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
      throw new ModelFormatException(where + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void drawPictures(StoredModel<GaussianMixtureModel, MixtureSummary> stored, FileSystem fs,
      Path plots, Long seed) throws IOException {
    MixturePlots.draw(stored, fs, plots);
  }

  private static Seq<Double> boxed(double[] values) {
    return JavaConverters.asScalaBuffer(Arrays.stream(values).boxed().toList()).toSeq();
  }

  private static double[] unboxed(List<Object> values) {
    return values.stream().mapToDouble(v -> (Double) v).toArray();
  }
}
