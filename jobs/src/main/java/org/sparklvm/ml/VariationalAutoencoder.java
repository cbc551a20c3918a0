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
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.core.vae.Likelihood;
import org.sparklvm.jobs.data.OutputColumns;
import org.sparklvm.jobs.vae.VaeFitJob;
import org.sparklvm.jobs.vae.VaeScorer;

/**
 * Spark ML estimator of a variational autoencoder, trained data-parallel with dl4j-spark's parameter
 * averaging: the same training as {@code lvm vae fit}, and its model is the same directory format.
 * Defaults as the command line's; {@code featuresCol} defaults to {@code features}.
 */
public final class VariationalAutoencoder extends Estimator<VariationalAutoencoderModel>
    implements FeatureParams {

  // Spark ML finds parameters through their public accessors: every Param needs one.

  private static final long serialVersionUID = 1L;

  private final String uid;
  private final IntParam latentDim;
  private final IntArrayParam encoder;
  private final IntArrayParam decoder;
  private final Param<String> likelihood;
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
    latentDim = new IntParam(this, "latentDim", "dimension of z", ParamValidators.gtEq(1));
    encoder = new IntArrayParam(this, "encoder", "encoder sizes");
    decoder = new IntArrayParam(this, "decoder", "decoder sizes");
    likelihood = new Param<>(this, "likelihood", "bernoulli or gaussian", ParamValidators.inArray(new String[] {"bernoulli", "gaussian"}));
    samples = new IntParam(this, "samples", "draws of z per row", ParamValidators.gtEq(1));
    beta = new DoubleParam(this, "beta", "KL weight", ParamValidators.gtEq(0));
    klWarmupEpochs = new IntParam(this, "klWarmupEpochs", "epochs over which the KL weight rises to beta", ParamValidators.gtEq(0));
    learningRate = new DoubleParam(this, "learningRate", "Adam step size", ParamValidators.gt(0));
    epochs = new IntParam(this, "epochs", "epochs", ParamValidators.gtEq(1));
    batchSizePerWorker = new IntParam(this, "batchSizePerWorker", "minibatch size per worker", ParamValidators.gtEq(1));
    averagingFrequency = new IntParam(this, "averagingFrequency", "minibatches between parameter averagings", ParamValidators.gtEq(1));
    validationFraction = new DoubleParam(this, "validationFraction", "share of rows held out", ParamValidators.inRange(0, 1, true, false));
    importanceSamples = new IntParam(this, "importanceSamples", "K of the validation log-likelihood", ParamValidators.gtEq(1));
    seed = new LongParam(this, "seed", "random seed");
    featuresCol = new Param<>(this, "featuresCol", "vector column");
    featureCols = new StringArrayParam(this, "featureCols", "numeric feature columns");
    setDefault(latentDim, 32);
    setDefault(encoder, new int[] {512, 256});
    setDefault(decoder, new int[] {256, 512});
    setDefault(likelihood, "bernoulli");
    setDefault(samples, 1);
    setDefault(beta, 1.0);
    setDefault(klWarmupEpochs, 0);
    setDefault(learningRate, 1e-3);
    setDefault(epochs, 10);
    setDefault(batchSizePerWorker, 64);
    setDefault(averagingFrequency, 5);
    setDefault(validationFraction, 0.1);
    setDefault(importanceSamples, 100);
    setDefault(seed, 42L);
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

  VaeFitJob.Options options() {
    return new VaeFitJob.Options((Integer) getOrDefault(latentDim), getOrDefault(encoder),
        getOrDefault(decoder), Likelihood.fromId(getOrDefault(likelihood)),
        (Integer) getOrDefault(samples), (Double) getOrDefault(beta),
        (Integer) getOrDefault(klWarmupEpochs), (Double) getOrDefault(learningRate),
        (Integer) getOrDefault(epochs), (Integer) getOrDefault(batchSizePerWorker),
        (Integer) getOrDefault(averagingFrequency), (Double) getOrDefault(validationFraction),
        (Integer) getOrDefault(importanceSamples), (Long) getOrDefault(seed), false);
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
        var stored = VaeFitJob.fit(spark, table, resolveColumns(table.schema(), null), options(),
            VaeFitJob.Pictures.PLAIN, "dataset", work);
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
