package org.sparklvm.jobs.gmm;

import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.FitResult;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.gmm.SufficientStatistics;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;
import org.sparklvm.jobs.store.ModelStore;

/** Stores a given mixture as a model directory, described on a table's rows, for tests. */
public final class StoredMixtures {

  private StoredMixtures() {}

  /** Writes {@code model} to {@code path} as if a fit of {@code table}'s {@code x0..} had made it. */
  public static void save(SparkSession spark, GaussianMixtureModel model, Dataset<Row> table,
      List<String> featureCols, String path) throws IOException {
    FeatureColumns cols = FeatureColumns.resolve(table.schema(), null, featureCols, null);
    EmSettings settings =
        EmSettings.defaults(model.k()).withCovarianceType(model.covarianceType());
    try (FeatureData data = FeatureData.of(table, cols, model.dim(), model.k(), "test")) {
      SufficientStatistics s = new DistributedExpectation(data.blocks()).expect(model);
      FitResult fit = new FitResult(model, 0, false, List.of(s.meanLogLikelihood()),
          s.totalWeight(), s.rows(), 0);
      ModelStore.save(spark, MixtureFitJob.describe(spark, data, fit, settings, "test", 0.0, null),
          path, false);
    }
  }
}
