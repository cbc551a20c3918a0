package org.sparklvm.jobs.gmm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.FitResult;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.gmm.OnlineSettings;
import org.sparklvm.core.model.MixtureFormat;
import org.sparklvm.core.model.MixtureSummary;
import org.sparklvm.core.model.ModelMetadata;
import org.sparklvm.core.model.QuantileTable;
import org.sparklvm.jobs.Provenance;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;
import org.sparklvm.jobs.plot.MixturePlots;
import org.sparklvm.jobs.score.AnomalyReference;
import org.sparklvm.jobs.store.PlotSample;
import org.sparklvm.jobs.store.StoredModel;

/** Fits a mixture to a table and describes it as a model directory's contents. */
public final class MixtureFitJob {

  /**
   * Training rows whose log p(x) quantiles are the anomaly reference: exact densities are cheap, so
   * enough that the 1e-4 quantile stands on 10 rows.
   */
  public static final int REFERENCE_ROWS = 100_000;

  private MixtureFitJob() {}

  /**
   * @param source the input's name for messages and provenance
   * @throws org.sparklvm.jobs.UserInputException naming a bad column, row or k
   */
  public static StoredModel<GaussianMixtureModel, MixtureSummary> fit(SparkSession spark,
      Dataset<Row> table, FeatureColumns columns, EmSettings settings, String source) {
    return fit(spark, table, columns, settings, source, null);
  }

  /**
   * @param start the mixture EM starts from ({@link WarmStart#settings} made {@code settings}), or
   *     null for {@code settings}' initialisations; its origin is stored as {@code initModel}
   * @throws org.sparklvm.jobs.UserInputException naming a bad column, row or k, or a dimension
   *     other than the starting mixture's
   */
  public static StoredModel<GaussianMixtureModel, MixtureSummary> fit(SparkSession spark,
      Dataset<Row> table, FeatureColumns columns, EmSettings settings, String source,
      WarmStart start) {
    long t0 = System.nanoTime();
    if (start != null) {
      start.checkColumns(columns);
    }
    int dim = start != null ? start.model().dim() : 0;
    try (FeatureData data = FeatureData.of(table, columns, dim, settings.k(), source)) {
      FitResult fit = MixtureFitter.fit(data, settings, start);
      StoredModel<GaussianMixtureModel, MixtureSummary> stored = describe(spark, data, fit,
          settings, source, (System.nanoTime() - t0) / 1e9, null);
      if (start != null) {
        stored.metadata().params().put("initModel", start.origin());
      }
      return stored;
    }
  }

  /**
   * Fits by online (stepwise) EM, the rows read in random mini-batches and never cached ({@link
   * OnlineMixtureFitter}); the stored model, its summary ({@code iterations} are passes), anomaly
   * reference and pictures are made as for batch EM. {@code params} records the online settings.
   *
   * @param start the mixture EM starts from, or null for k-means++ on a sample of the first batches
   * @throws org.sparklvm.jobs.UserInputException naming a bad column or row, or a k larger than the
   *     distinct rows sampled
   */
  public static StoredModel<GaussianMixtureModel, MixtureSummary> fitOnline(SparkSession spark,
      Dataset<Row> table, FeatureColumns columns, EmSettings settings, OnlineSettings online,
      String source, WarmStart start) {
    long t0 = System.nanoTime();
    if (start != null) {
      start.checkColumns(columns);
    }
    int parallelism = spark.sparkContext().defaultParallelism();
    int width = Math.max(1, Math.min(parallelism, online.batchRows() / FeatureData.BLOCK_ROWS));
    ShuffledMiniBatches batches =
        ShuffledMiniBatches.of(table, columns, online.batchRows(), width, settings.seed());
    FitResult fit = OnlineMixtureFitter.fit(batches, settings, online,
        start != null ? start.model() : null);
    StoredModel<GaussianMixtureModel, MixtureSummary> stored = describe(spark, columns,
        batches.blocks(), batches.sample(PlotSample.ROWS, settings.seed()), fit, settings, source,
        (System.nanoTime() - t0) / 1e9, null);
    ObjectNode params = stored.metadata().params();
    params.put("online", true);
    params.put("batchRows", online.batchRows());
    params.put("stepDecay", online.stepDecay());
    params.put("maxPasses", online.maxPasses());
    if (start != null) {
      params.put("initModel", start.origin());
    }
    return stored;
  }

  /**
   * The stored form of a fit: parameters, summary (with the anomaly reference of the training rows),
   * provenance and the pictures' sample.
   *
   * @param selection the grid {@code gmm select} compared, or null
   */
  static StoredModel<GaussianMixtureModel, MixtureSummary> describe(SparkSession spark,
      FeatureData data, FitResult fit, EmSettings settings, String source, double seconds,
      List<MixtureSummary.Candidate> selection) {
    return describe(spark, data.columns(), data.blocks(),
        data.sample(PlotSample.ROWS, settings.seed()), fit, settings, source, seconds, selection);
  }

  /**
   * @param blocks the training rows, for the anomaly reference
   * @param plotRows the rows the pictures show
   */
  static StoredModel<GaussianMixtureModel, MixtureSummary> describe(SparkSession spark,
      FeatureColumns columns, JavaRDD<RowBlock> blocks, RowBlock plotRows, FitResult fit,
      EmSettings settings, String source, double seconds,
      List<MixtureSummary.Candidate> selection) {
    return describe(spark, columns, blocks, plotRows, fit, settings, source, seconds, selection,
        null);
  }

  /**
   * @param version the number of a streamed fit's published model, or null for any other fit
   */
  static StoredModel<GaussianMixtureModel, MixtureSummary> describe(SparkSession spark,
      FeatureColumns columns, JavaRDD<RowBlock> blocks, RowBlock plotRows, FitResult fit,
      EmSettings settings, String source, double seconds,
      List<MixtureSummary.Candidate> selection, Long version) {
    ObjectNode params = MixtureFormat.params(settings);
    params.put("dim", fit.model().dim());
    if (columns.vectorColumn() != null) {
      params.put("featuresCol", columns.vectorColumn());
    } else {
      ArrayNode cols = params.putArray("featureCols");
      columns.numericColumns().forEach(cols::add);
    }
    if (columns.weightColumn() != null) {
      params.put("weightCol", columns.weightColumn());
    }
    QuantileTable reference = AnomalyReference.of(blocks, new MixtureScorer(fit.model()),
        REFERENCE_ROWS, settings.seed(), "training");
    MixtureSummary summary = MixtureSummary.of(fit, reference).withSelection(selection);
    ModelMetadata meta = new ModelMetadata(MixtureFormat.FORMAT, MixtureFormat.VERSION,
        MixtureKind.INSTANCE.modelClass(), params,
        (version == null ? summary : summary.withVersion(version)).toJson(),
        Provenance.of(spark, source, fit.rows(), settings.seed(), seconds));
    PlotSample sample = MixturePlots.sample(fit.model(), plotRows);
    return new StoredModel<>(MixtureKind.INSTANCE, fit.model(), meta, sample);
  }
}
