package org.sparklvm.ml;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.core.model.VaeSummary;
import org.sparklvm.core.vae.ImportanceSampler;
import org.sparklvm.core.vae.RefinementSettings;
import org.sparklvm.core.vae.VaeModel;
import org.sparklvm.jobs.data.OutputColumns;
import org.sparklvm.jobs.score.ScoreJob;
import org.sparklvm.jobs.store.ModelStore;
import org.sparklvm.jobs.store.StoredModel;
import org.sparklvm.jobs.vae.TrainedVae;
import org.sparklvm.jobs.vae.VaeKind;
import org.sparklvm.jobs.vae.VaeScorer;

/**
 * A trained VAE as a Spark ML transformer: {@code transform} adds the latent code ({@code zMean},
 * {@code zLogVar}); {@link #score} adds the ELBO, its terms and the importance-sampled
 * log-likelihood. Saved and loaded in the spark-lvm directory format shared with {@code lvm vae}.
 */
public final class VariationalAutoencoderModel extends Model<VariationalAutoencoderModel>
    implements FeatureParams, MLWritable {

  private static final long serialVersionUID = 1L;

  private final String uid;
  private final StoredModel<TrainedVae, VaeSummary> stored;
  private final Param<String> featuresCol;
  private final StringArrayParam featureCols;

  VariationalAutoencoderModel(String uid, StoredModel<TrainedVae, VaeSummary> stored) {
    this.uid = uid;
    featuresCol = new Param<>(this, "featuresCol", "vector column");
    featureCols = new StringArrayParam(this, "featureCols", "numeric feature columns");
    this.stored = stored;
    if (stored.metadata().featuresCol() != null) {
      setDefault(featuresCol, stored.metadata().featuresCol());
    } else {
      setDefault(featureCols, stored.metadata().featureCols().toArray(new String[0]));
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

  /** Encoder and decoder for the ELBO and importance-sampling estimators. */
  public VaeModel vae() {
    return stored.model().latentModel();
  }

  /** What training reached: ELBO histories, validation log-likelihood, anomaly quantiles. */
  public VaeSummary summary() {
    return stored.summary();
  }

  /** {@code metadata.json}: architecture, ELBO histories, validation log-likelihood, provenance. */
  public String metadataJson() {
    return stored.metadata().toJson();
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    Dataset<Row> table = dataset.toDF();
    return new VaeScorer(JavaSparkContext.fromSparkContext(table.sparkSession().sparkContext()),
        stored.model(), VaeScorer.Options.ENCODE_ONLY)
        .encode(table, resolveColumns(table.schema(), null), "dataset");
  }

  /** Per-row {@code elbo}, {@code reconstruction}, {@code kl} and {@code logLikelihood} (IWAE, K). */
  public Dataset<Row> score(Dataset<?> dataset, int importanceSamples) {
    return score(dataset, importanceSamples, Double.NaN);
  }

  /**
   * As {@link #score(Dataset, int)}, plus {@code anomaly}: the log-likelihood is below the {@code
   * anomalyQuantile} quantile of the held-out rows' when the model was trained (NaN: no flag).
   */
  public Dataset<Row> score(Dataset<?> dataset, int importanceSamples, double anomalyQuantile) {
    return score(dataset, importanceSamples, anomalyQuantile, RefinementSettings.NONE);
  }

  /**
   * As {@link #score(Dataset, int, double)}, each row's q(z|x) first refined on its own ELBO as
   * {@code refinement} says ({@code lvm vae score --refine-steps}).
   */
  public Dataset<Row> score(Dataset<?> dataset, int importanceSamples, double anomalyQuantile,
      RefinementSettings refinement) {
    Dataset<Row> table = dataset.toDF();
    double threshold =
        Double.isNaN(anomalyQuantile) ? Double.NaN : stored.anomalyThreshold(anomalyQuantile);
    return ScoreJob.score(table, resolveColumns(table.schema(), null),
        scorer(table, importanceSamples, refinement), threshold, "dataset");
  }

  private VaeScorer scorer(Dataset<Row> table, int importanceSamples,
      RefinementSettings refinement) {
    return new VaeScorer(JavaSparkContext.fromSparkContext(table.sparkSession().sparkContext()),
        stored.model(), new VaeScorer.Options(importanceSamples,
            ImportanceSampler.Proposal.POSTERIOR, 10, 42L, refinement));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    resolveColumns(schema, null);
    return OutputColumns.append(schema, VaeScorer.codeColumns().toArray(new StructField[0]));
  }

  @Override
  public VariationalAutoencoderModel copy(ParamMap extra) {
    VariationalAutoencoderModel copy = new VariationalAutoencoderModel(uid, stored);
    copyValues(copy, extra);
    return copy.setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new DirectoryWriter((spark, path) -> ModelStore.save(spark, stored, path, false));
  }

  /** Reads a spark-lvm VAE model directory. */
  public static MLReader<VariationalAutoencoderModel> read() {
    return new MLReader<>() {
      @Override
      public VariationalAutoencoderModel load(String path) {
        return new VariationalAutoencoderModel(Identifiable$.MODULE$.randomUID("lvmVaeModel"),
            ModelStore.load(sparkSession(), VaeKind.INSTANCE, path));
      }
    };
  }

  public static VariationalAutoencoderModel load(String path) {
    return read().load(path);
  }
}
