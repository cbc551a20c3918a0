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
import org.sparklvm.core.gmm.VariationalPosterior;
import org.sparklvm.core.model.MixtureSummary;
import org.sparklvm.core.settings.TaskSettings;
import org.sparklvm.jobs.gmm.MixtureKind;
import org.sparklvm.jobs.gmm.MixtureScorer;
import org.sparklvm.jobs.score.ScoreJob;
import org.sparklvm.jobs.store.ModelStore;
import org.sparklvm.jobs.store.StoredModel;

/**
 * A fitted Gaussian mixture as a Spark ML transformer: adds {@code prediction}, {@code probability},
 * {@code logLikelihood} (log p(x)) and, when {@code anomalyQuantile} is set, {@code anomaly}. Saved and loaded in the
 * spark-lvm model directory format, so {@code lvm gmm score} reads what a notebook saved and
 * {@link #load} reads what {@code lvm gmm fit} wrote. A variational Bayesian fit ({@code
 * setPrior}) scores with the mixture of the posterior's expected parameters and keeps its
 * {@link #posterior()}.
 */
public final class GaussianMixtureModel extends Model<GaussianMixtureModel>
    implements FeatureParams, MLWritable {

  private static final long serialVersionUID = 1L;

  private final String uid;
  private final StoredModel<org.sparklvm.core.gmm.GaussianMixtureModel, MixtureSummary> stored;
  private final Param<String> featuresCol;
  private final StringArrayParam featureCols;
  private final DoubleParam anomalyQuantile;

  GaussianMixtureModel(String uid,
      StoredModel<org.sparklvm.core.gmm.GaussianMixtureModel, MixtureSummary> stored) {
    this.uid = uid;
    this.stored = stored;
    featuresCol = new Param<>(this, "featuresCol", "vector column of features");
    featureCols = new StringArrayParam(this, "featureCols", "numeric feature columns");
    anomalyQuantile = DeclaredParams.doubleParam(this, TaskSettings.ANOMALY_QUANTILE);
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

  /** What the fit reached: iterations, log-likelihood history, BIC, AIC, anomaly quantiles. */
  public MixtureSummary summary() {
    return stored.summary();
  }

  public double bic() {
    return summary().bic();
  }

  public double aic() {
    return summary().aic();
  }

  public double meanLogLikelihood() {
    return summary().meanLogLikelihood();
  }

  /** A variational fit's posterior, or null for a maximum likelihood fit. */
  public VariationalPosterior posterior() {
    return stored.kind() instanceof MixtureKind kind ? kind.posterior() : null;
  }

  /** A variational fit's final lower bound per unit weight, or null for a maximum likelihood fit. */
  public Double lowerBound() {
    return summary().lowerBound();
  }

  /**
   * A variational fit's components whose expected weight exceeds {@code
   * summary().effectiveThreshold()}, or null for a maximum likelihood fit.
   */
  public Integer effectiveComponents() {
    return summary().effectiveComponents();
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    Dataset<Row> table = dataset.toDF();
    double threshold = isDefined(anomalyQuantile)
        ? stored.anomalyThreshold((Double) getOrDefault(anomalyQuantile)) : Double.NaN;
    return ScoreJob.transform(table, resolveColumns(table.schema(), null),
        new MixtureScorer(stored.model()), threshold);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    resolveColumns(schema, null);
    return ScoreJob.outputSchema(schema, MixtureScorer.COLUMNS, isDefined(anomalyQuantile));
  }

  @Override
  public GaussianMixtureModel copy(ParamMap extra) {
    GaussianMixtureModel copy = new GaussianMixtureModel(uid, stored);
    copyValues(copy, extra);
    return copy.setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new DirectoryWriter((spark, path) -> ModelStore.save(spark, stored, path, false));
  }

  /** Reads a spark-lvm mixture model directory. */
  public static MLReader<GaussianMixtureModel> read() {
    return new MLReader<>() {
      @Override
      public GaussianMixtureModel load(String path) {
        return new GaussianMixtureModel(
            Identifiable$.MODULE$.randomUID("lvmGaussianMixtureModel"),
            MixtureKind.load(sparkSession(), path));
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
