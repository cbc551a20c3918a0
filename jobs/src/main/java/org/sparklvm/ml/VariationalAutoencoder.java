package org.sparklvm.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.core.vae.VaeSettings;
import org.sparklvm.jobs.data.OutputColumns;
import org.sparklvm.jobs.vae.VaeFitJob;
import org.sparklvm.jobs.vae.VaeScorer;

/**
 * Spark ML estimator of a variational autoencoder, trained data-parallel with dl4j-spark's parameter
 * averaging: the same training as {@code lvm vae fit}, with the same defaults (both take them from
 * {@link VaeSettings}), and its model is the same directory format. {@code featuresCol} defaults to
 * {@code features}.
 */
public final class VariationalAutoencoder extends Estimator<VariationalAutoencoderModel>
    implements FeatureParams, DeclaredParams {

  // Spark ML finds parameters through their public accessors: every Param needs one.

  private static final long serialVersionUID = 1L;

  private final String uid;
  private final IntParam latentDim;
  private final IntArrayParam encoder;
  private final IntArrayParam decoder;
  private final Param<String> likelihood;
  private final Param<String> objective;
  private final IntParam samples;
  private final DoubleParam beta;
  private final IntParam klWarmupEpochs;
  private final DoubleParam learningRate;
  private final IntParam epochs;
  private final IntParam batchSizePerWorker;
  private final IntParam averagingFrequency;
  private final DoubleParam validationFraction;
  private final IntParam importanceSamples;
  private final LongParam seed;
  private final Param<String> featuresCol;
  private final StringArrayParam featureCols;

  public VariationalAutoencoder() {
    this(Identifiable$.MODULE$.randomUID("lvmVae"));
  }

  public VariationalAutoencoder(String uid) {
    this.uid = uid;
    latentDim = DeclaredParams.intParam(this, VaeSettings.LATENT_DIM);
    encoder = DeclaredParams.intArrayParam(this, VaeSettings.ENCODER);
    decoder = DeclaredParams.intArrayParam(this, VaeSettings.DECODER);
    likelihood = DeclaredParams.stringParam(this, VaeSettings.LIKELIHOOD);
    objective = DeclaredParams.stringParam(this, VaeSettings.OBJECTIVE);
    samples = DeclaredParams.intParam(this, VaeSettings.SAMPLES);
    beta = DeclaredParams.doubleParam(this, VaeSettings.BETA);
    klWarmupEpochs = DeclaredParams.intParam(this, VaeSettings.KL_WARMUP_EPOCHS);
    learningRate = DeclaredParams.doubleParam(this, VaeSettings.LEARNING_RATE);
    epochs = DeclaredParams.intParam(this, VaeSettings.EPOCHS);
    batchSizePerWorker = DeclaredParams.intParam(this, VaeSettings.BATCH_SIZE_PER_WORKER);
    averagingFrequency = DeclaredParams.intParam(this, VaeSettings.AVERAGING_FREQUENCY);
    validationFraction = DeclaredParams.doubleParam(this, VaeSettings.VALIDATION_FRACTION);
    importanceSamples = DeclaredParams.intParam(this, VaeSettings.IMPORTANCE_SAMPLES);
    seed = DeclaredParams.longParam(this, VaeSettings.SEED);
    featuresCol = new Param<>(this, "featuresCol", "vector column");
    featureCols = new StringArrayParam(this, "featureCols", "numeric feature columns");
    declareDefaults(VaeSettings.DECLARED);
    setDefault(featuresCol, "features");
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

  public IntParam latentDim() {
    return latentDim;
  }

  public IntArrayParam encoder() {
    return encoder;
  }

  public IntArrayParam decoder() {
    return decoder;
  }

  public Param<String> likelihood() {
    return likelihood;
  }

  public Param<String> objective() {
    return objective;
  }

  public IntParam epochs() {
    return epochs;
  }

  public IntParam samples() {
    return samples;
  }

  public DoubleParam beta() {
    return beta;
  }

  public IntParam klWarmupEpochs() {
    return klWarmupEpochs;
  }

  public DoubleParam learningRate() {
    return learningRate;
  }

  public IntParam batchSizePerWorker() {
    return batchSizePerWorker;
  }

  public IntParam averagingFrequency() {
    return averagingFrequency;
  }

  public DoubleParam validationFraction() {
    return validationFraction;
  }

  public IntParam importanceSamples() {
    return importanceSamples;
  }

  public LongParam seed() {
    return seed;
  }

  public VariationalAutoencoder setLatentDim(int v) {
    set(latentDim, v);
    return this;
  }

  public VariationalAutoencoder setEncoder(int[] v) {
    set(encoder, v);
    return this;
  }

  public VariationalAutoencoder setDecoder(int[] v) {
    set(decoder, v);
    return this;
  }

  public VariationalAutoencoder setLikelihood(String v) {
    set(likelihood, v);
    return this;
  }

  public VariationalAutoencoder setObjective(String v) {
    set(objective, v);
    return this;
  }

  public VariationalAutoencoder setSamples(int v) {
    set(samples, v);
    return this;
  }

  public VariationalAutoencoder setBeta(double v) {
    set(beta, v);
    return this;
  }

  public VariationalAutoencoder setKlWarmupEpochs(int v) {
    set(klWarmupEpochs, v);
    return this;
  }

  public VariationalAutoencoder setLearningRate(double v) {
    set(learningRate, v);
    return this;
  }

  public VariationalAutoencoder setEpochs(int v) {
    set(epochs, v);
    return this;
  }

  public VariationalAutoencoder setBatchSizePerWorker(int v) {
    set(batchSizePerWorker, v);
    return this;
  }

  public VariationalAutoencoder setAveragingFrequency(int v) {
    set(averagingFrequency, v);
    return this;
  }

  public VariationalAutoencoder setValidationFraction(double v) {
    set(validationFraction, v);
    return this;
  }

  public VariationalAutoencoder setImportanceSamples(int v) {
    set(importanceSamples, v);
    return this;
  }

  public VariationalAutoencoder setSeed(long v) {
    set(seed, v);
    return this;
  }

  public VariationalAutoencoder setFeaturesCol(String v) {
    set(featuresCol, v);
    return this;
  }

  public VariationalAutoencoder setFeatureCols(String[] v) {
    set(featureCols, v);
    clear(featuresCol);
    return this;
  }

  /** The settings these parameters describe. */
  VaeSettings settings() {
    return VaeSettings.from(declaredValues());
  }

  @Override
  public VariationalAutoencoderModel fit(Dataset<?> dataset) {
    Dataset<Row> table = dataset.toDF();
    var spark = table.sparkSession();
    // Exported minibatches go to the default file system's temporary folder, shared by executors.
    String work = new Path(spark.sparkContext().hadoopConfiguration().get("hadoop.tmp.dir"),
        "lvm-vae-" + UUID.randomUUID()).toString();
    try {
      try {
        var stored = VaeFitJob.fit(spark, table, resolveColumns(table.schema(), null), settings(),
            false, VaeFitJob.Pictures.PLAIN, "dataset", work);
        VariationalAutoencoderModel model = new VariationalAutoencoderModel(uid, stored);
        model.setParent(this);
        return model;
      } finally {
        // No --resume here: the folder goes whether training succeeded or not.
        VaeFitJob.removeWorkDirectory(spark, work);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public StructType transformSchema(StructType schema) {
    resolveColumns(schema, null);
    return OutputColumns.append(schema, VaeScorer.codeColumns().toArray(new StructField[0]));
  }

  @Override
  public VariationalAutoencoder copy(ParamMap extra) {
    return (VariationalAutoencoder) defaultCopy(extra);
  }
}
