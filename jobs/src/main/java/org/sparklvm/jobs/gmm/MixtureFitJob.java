package org.sparklvm.jobs.gmm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.model.MixtureFormat;
import org.sparklvm.core.model.ModelMetadata;
import org.sparklvm.jobs.Provenance;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;
import org.sparklvm.jobs.plot.MixturePlots;
import org.sparklvm.jobs.store.PlotSample;
import org.sparklvm.jobs.store.StoredMixture;

/** Fits a mixture to a table and describes it as a model directory's contents. */
public final class MixtureFitJob {

  private MixtureFitJob() {}

  /**
   * @param source the input's name for messages and provenance
   * @throws org.sparklvm.jobs.UserInputException naming a bad column, row or k
   */
  public static StoredMixture fit(SparkSession spark, Dataset<Row> table, FeatureColumns columns,
      EmSettings settings, String source) {
    long t0 = System.nanoTime();
    try (FeatureData data = FeatureData.of(table, columns, 0, settings.k(), source)) {
      MixtureFitter.Fit fit = MixtureFitter.fit(spark, data, settings);
      return describe(spark, fit, settings, columns, source, (System.nanoTime() - t0) / 1e9,
          plotSample(data, fit, settings));
    }
  }

  /** A sample of the rows for the fit's pictures. */
  static PlotSample plotSample(FeatureData data, MixtureFitter.Fit fit, EmSettings settings) {
    return MixturePlots.sample(fit.result().model(),
        data.sample(PlotSample.ROWS, settings.seed()));
  }

  /** The stored form of a fit: parameters, summary, provenance and the pictures' sample. */
  static StoredMixture describe(SparkSession spark, MixtureFitter.Fit fit, EmSettings settings,
      FeatureColumns columns, String source, double seconds, PlotSample plotSample) {
    ObjectNode params = MixtureFormat.params(settings);
    params.put("dim", fit.result().model().dim());
    if (columns.vectorColumn() != null) {
      params.put("featuresCol", columns.vectorColumn());
    } else {
      ArrayNode cols = params.putArray("featureCols");
      columns.numericColumns().forEach(cols::add);
    }
    if (columns.weightColumn() != null) {
      params.put("weightCol", columns.weightColumn());
    }
    ObjectNode summary = MixtureFormat.summary(
        fit.result(), fit.quantileProbabilities(), fit.quantileValues());
    ModelMetadata meta = new ModelMetadata(MixtureFormat.FORMAT, MixtureFormat.VERSION,
        org.sparklvm.core.gmm.GaussianMixtureModel.class.getName(), params, summary,
        Provenance.of(spark, source, fit.result().rows(), settings.seed(), seconds));
    return new StoredMixture(fit.result().model(), meta, plotSample);
  }
}
