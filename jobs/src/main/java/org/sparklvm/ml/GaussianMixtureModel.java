package org.sparklvm.ml;

import java.util.Arrays;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.jobs.gmm.MixtureScoreJob;
import org.sparklvm.jobs.plot.MixturePlots;
import org.sparklvm.jobs.store.MixtureStore;
import org.sparklvm.jobs.store.StoredMixture;

/**
 * A fitted Gaussian mixture as a Spark ML transformer: adds {@code prediction}, {@code probability},
 * {@code logDensity} and, when {@code anomalyQuantile} is set, {@code anomaly}. Saved and loaded in the
 * spark-lvm model directory format, so {@code lvm gmm score} reads what a notebook saved and
 * {@link #load} reads what {@code lvm gmm fit} wrote.
 */
public final class GaussianMixtureModel extends Model<GaussianMixtureModel>
    implements FeatureParams, MLWritable {

  private static final long serialVersionUID = 1L;

  private final String uid;
  private final StoredMixture stored;
  private final Param<String> featuresCol;
  private final StringArrayParam featureCols;
  private final DoubleParam anomalyQuantile;

  GaussianMixtureModel(String uid, StoredMixture stored) {
    this.uid = uid;
    this.stored = stored;
    featuresCol = new Param<>(this, "featuresCol", "vector column of features");
    featureCols = new StringArrayParam(this, "featureCols", "numeric feature columns");
    anomalyQuantile = new DoubleParam(this, "anomalyQuantile",
        "flag rows whose log-density is below this quantile of the training data's (0 < q < 1)");
    if (stored.featuresCol() != null) {
      setDefault(featuresCol, stored.featuresCol());
    } else {
      setDefault(featureCols, stored.featureCols().toArray(new String[0]));
    }
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Param<String> featuresCol() {
    return featuresCol;
  }

  @Override
  public StringArrayParam featureCols() {
    return featureCols;
  }

  public DoubleParam anomalyQuantile() {
    return anomalyQuantile;
  }

  public GaussianMixtureModel setFeaturesCol(String value) {
    set(featuresCol, value);
    return this;
  }

  public GaussianMixtureModel setFeatureCols(String[] value) {
    set(featureCols, value);
    return this;
  }

  public GaussianMixtureModel setAnomalyQuantile(double value) {
    set(anomalyQuantile, value);
    return this;
  }

  /** The mixture itself (weights, means, covariances, densities, sampling). */
  public org.sparklvm.core.gmm.GaussianMixtureModel mixture() {
    return stored.model();
  }

  /** {@code metadata.json} of the model: params, summary (BIC, AIC, history), provenance. */
  public String metadataJson() {
    return stored.metadata().toJson();
  }

  public double bic() {
    return stored.metadata().summary().path("bic").asDouble();
  }

  public double aic() {
    return stored.metadata().summary().path("aic").asDouble();
  }

  public double meanLogLikelihood() {
    return stored.metadata().summary().path("meanLogLikelihood").asDouble();
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    Dataset<Row> table = dataset.toDF();
    double threshold = isDefined(anomalyQuantile)
        ? stored.anomalyThreshold((Double) getOrDefault(anomalyQuantile)) : Double.NaN;
    return MixtureScoreJob.transform(table, resolveColumns(table.schema(), null), stored.model(),
        threshold);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    resolveColumns(schema, null);
    return MixtureScoreJob.outputSchema(schema, isDefined(anomalyQuantile));
  }

  @Override
  public GaussianMixtureModel copy(ParamMap extra) {
    GaussianMixtureModel copy = new GaussianMixtureModel(uid, stored);
    copyValues(copy, extra);
    return copy.setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new DirectoryWriter((spark, path) -> MixtureStore.save(spark, stored, path, false,
        MixturePlots.into(spark.sparkContext().hadoopConfiguration(), stored)));
  }

  /** Reads a spark-lvm mixture model directory. */
  public static MLReader<GaussianMixtureModel> read() {
    return new MLReader<>() {
      @Override
      public GaussianMixtureModel load(String path) {
        return new GaussianMixtureModel(
            Identifiable$.MODULE$.randomUID("lvmGaussianMixtureModel"),
            MixtureStore.load(sparkSession(), path));
      }
    };
  }

  public static GaussianMixtureModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "GaussianMixtureModel(" + uid + ", " + stored.model() + ", features "
        + (stored.featuresCol() != null ? stored.featuresCol()
            : Arrays.toString(stored.featureCols().toArray())) + ")";
  }
}
