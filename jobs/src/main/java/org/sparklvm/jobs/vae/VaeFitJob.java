package org.sparklvm.jobs.vae;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.model.ModelMetadata;
import org.sparklvm.core.model.VaeFormat;
import org.sparklvm.core.model.VaeSummary;
import org.sparklvm.core.vae.ImportanceSampler;
import org.sparklvm.core.vae.Likelihood;
import org.sparklvm.core.vae.VaeArchitecture;
import org.sparklvm.core.vae.VaeModel;
import org.sparklvm.core.vae.VaeSettings;
import org.sparklvm.jobs.Provenance;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.data.ColumnName;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;
import org.sparklvm.jobs.plot.VaePlots;
import org.sparklvm.jobs.store.PlotSample;
import org.sparklvm.jobs.score.AnomalyReference;
import org.sparklvm.jobs.store.StoredModel;

/** Trains a VAE on a table and describes it as a model directory's contents. */
public final class VaeFitJob {

  /** At most this many rows are scored (K draws each) for the summary and the anomaly quantiles. */
  public static final int REFERENCE_ROWS = 10_000;

  /**
   * What the fit's pictures show.
   *
   * @param labelCol a column whose values colour the latent picture, or null
   * @param imageShape height and width when rows are images (sample and reconstruction grids), or
   *     null
   */
  public record Pictures(String labelCol, int[] imageShape) {

    /** No label, no images: the ELBO curves and the latent picture. */
    public static final Pictures PLAIN = new Pictures(null, null);
  }

  private VaeFitJob() {}

  /**
   * @param resume continue from the checkpoint a failed run left in {@code workDirectory}
   * @param workDirectory a folder of the job's own for checkpoints; the
   *     caller removes it ({@link #removeWorkDirectory}) once the model is stored
   * @throws org.sparklvm.jobs.UserInputException naming a bad row (non-finite, or outside [0, 1] for
   *     a Bernoulli likelihood) or an empty input
   */
  public static StoredModel<TrainedVae, VaeSummary> fit(SparkSession spark, Dataset<Row> table,
      FeatureColumns columns, VaeSettings s, boolean resume, Pictures pictures, String source,
      String workDirectory) throws IOException {
    long t0 = System.nanoTime();
    checkLabelColumn(table, pictures, source);
    FeatureColumns checked =
        s.likelihood() == Likelihood.BERNOULLI ? columns.requireUnitInterval() : columns;
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    try (FeatureData data = FeatureData.of(table, checked, 0, 0, source)) {
      VaeArchitecture arch = s.architecture(data.dim(), Math.max(256, s.batchSizePerWorker()));
      JavaRDD<DataSet> rows = data.blocks().flatMap(VaeFitJob::examples);
      JavaRDD<DataSet> train;
      JavaRDD<DataSet> validation = null;
      if (s.validationFraction() > 0) {
        JavaRDD<DataSet>[] split = rows.randomSplit(
            new double[] {1 - s.validationFraction(), s.validationFraction()}, s.seed());
        train = VaeTrainer.perWorker(split[0]).persist(StorageLevel.MEMORY_AND_DISK());
        validation = split[1].persist(StorageLevel.MEMORY_AND_DISK());
        if (validation.isEmpty()) {
          train.unpersist(false);
          validation.unpersist(false);
          throw new UserInputException("--validation-fraction " + s.validationFraction() + " of "
              + data.rows() + " rows held out none; give more rows or --validation-fraction 0");
        }
      } else {
        train = VaeTrainer.perWorker(rows).persist(StorageLevel.MEMORY_AND_DISK());
      }
      try {
        VaeTrainer.Result result = VaeTrainer.train(sc, arch, train, validation,
            new VaeTrainer.Settings(s.epochs(), s.batchSizePerWorker(), s.averagingFrequency(),
                s.klWarmupEpochs(), s.seed(), workDirectory, resume));
        TrainedVae trained = new TrainedVae(result.network(), arch);
        double[] reference = referenceLogLikelihoods(sc, trained,
            validation == null ? train : validation, s.importanceSamples(), s.seed());
        ObjectNode params = VaeFormat.params(arch);
        params.put("epochs", s.epochs());
        params.put("klWarmupEpochs", s.klWarmupEpochs());
        params.put("batchSizePerWorker", s.batchSizePerWorker());
        params.put("averagingFrequency", s.averagingFrequency());
        params.put("validationFraction", s.validationFraction());
        if (columns.vectorColumn() != null) {
          params.put("featuresCol", columns.vectorColumn());
        } else {
          ArrayNode cols = params.putArray("featureCols");
          columns.numericColumns().forEach(cols::add);
        }
        VaeSummary summary = VaeSummary.of(s.epochs(), result.trainElbo(),
            result.validationElbo(), reference, validation != null, s.importanceSamples(),
            data.rows());
        ModelMetadata meta = new ModelMetadata(VaeFormat.FORMAT, VaeFormat.VERSION,
            VaeKind.INSTANCE.modelClass(), params, summary.toJson(),
            Provenance.of(spark, source, data.rows(), s.seed(), (System.nanoTime() - t0) / 1e9));
        return new StoredModel<>(VaeKind.INSTANCE, trained, meta,
            plotSample(table, checked, data, trained.latentModel(), pictures, s.seed()));
      } finally {
        train.unpersist(false);
        if (validation != null) {
          validation.unpersist(false);
        }
      }
    }
  }

  /**
   * The importance-sampled log-likelihoods (K = {@code samples} draws from q(z|x)) of up to {@value
   * #REFERENCE_ROWS} of {@code rows}: the anomaly reference, and the validation log-likelihood.
   */
  private static double[] referenceLogLikelihoods(JavaSparkContext sc, TrainedVae trained,
      JavaRDD<DataSet> rows, int samples, long seed) {
    int d = trained.architecture().inputDim();
    JavaRDD<RowBlock> blocks = rows.map(r ->
        new RowBlock(1, d, r.getFeatures().castTo(DataType.DOUBLE).toDoubleVector(), null));
    try (VaeScorer scorer = new VaeScorer(sc, trained, new VaeScorer.Options(samples,
        ImportanceSampler.Proposal.POSTERIOR, 1, seed))) {
      return AnomalyReference.logLikelihoods(blocks, scorer, REFERENCE_ROWS, seed);
    }
  }

  /**
   * Removes the working folder once the model is safely stored: until then its checkpoints are what
   * {@code --resume} continues from.
   */
  public static void removeWorkDirectory(SparkSession spark, String workDirectory)
      throws IOException {
    Path work = new Path(workDirectory);
    FileSystem fs = work.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (fs.exists(work)) {
      fs.delete(work, true);
    }
  }

  /**
   * @throws UserInputException when the label column the pictures want is not in the table
   */
  public static void checkLabelColumn(Dataset<Row> table, Pictures pictures, String source) {
    if (pictures.labelCol() != null
        && !Arrays.asList(table.columns()).contains(pictures.labelCol())) {
      throw new UserInputException("no label column " + ColumnName.quoted(pictures.labelCol())
          + " in " + source + "; its columns are " + ColumnName.list(table.columns()));
    }
  }

  /** Rows for the pictures: with their labels, drawn from the table; else from the cached rows. */
  private static PlotSample plotSample(Dataset<Row> table, FeatureColumns columns, FeatureData data,
      VaeModel model, Pictures pictures, long seed) {
    List<double[]> rows = new ArrayList<>();
    List<String> labels = null;
    if (pictures.labelCol() == null) {
      RowBlock sample = data.sample(PlotSample.ROWS, seed);
      for (int r = 0; r < sample.rows(); r++) {
        rows.add(sample.row(r));
      }
    } else {
      labels = new ArrayList<>();
      double fraction = Math.min(1.0, 1.2 * PlotSample.ROWS / (double) data.rows());
      for (Row row : table.sample(false, fraction, seed).limit(PlotSample.ROWS)
          .collectAsList()) {
        rows.add(columns.features(row));
        labels.add(String.valueOf(row.get(row.fieldIndex(pictures.labelCol()))));
      }
    }
    return VaePlots.sample(model, rows, labels, pictures.imageShape());
  }

  /** One {@link DataSet} per row, features = labels = x (float32, as the network). */
  public static java.util.Iterator<DataSet> examples(RowBlock block) {
    List<DataSet> out = new ArrayList<>(block.rows());
    for (int r = 0; r < block.rows(); r++) {
      INDArray x = Nd4j.create(block.row(r), 1, block.dim()).castTo(DataType.FLOAT);
      out.add(new DataSet(x, x));
    }
    return out.iterator();
  }
}
