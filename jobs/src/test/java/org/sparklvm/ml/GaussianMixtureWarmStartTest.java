package org.sparklvm.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.jobs.SparkTests;
import org.sparklvm.jobs.UserInputException;

/** {@link GaussianMixture#setInitialModel}: the notebook's warm start. */
class GaussianMixtureWarmStartTest {

  @TempDir Path dir;

  @Test
  void emRunsOnceFromTheInitialModelWithItsKAndColumns() throws Exception {
    Dataset<Row> train = SparkTests.columns(SparkTests.planted(), 8000, 41);
    GaussianMixtureModel cold = new GaussianMixture().setK(3).setCovarianceType("diag")
        .setFeatureCols(new String[] {"x0", "x1", "x2"}).setSeed(2).fit(train);
    String saved = dir.resolve("cold").toString();
    cold.write().save(saved);
    GaussianMixtureModel loaded = GaussianMixtureModel.load(saved);

    // k (default 2), covariance type (default full) and the columns come from the model.
    GaussianMixture estimator = new GaussianMixture().setNInit(4).setInitialModel(loaded);
    GaussianMixtureModel warm = estimator.fit(train);
    assertEquals(3, warm.mixture().k());
    assertEquals("diag", warm.mixture().covarianceType().id());
    assertTrue(warm.summary().iterations() <= 2, "iterations " + warm.summary().iterations());
    double gain = warm.meanLogLikelihood() - cold.meanLogLikelihood();
    assertTrue(gain > -1e-9 && gain < 1e-3, "gain " + gain);
    assertTrue(warm.metadataJson().contains("\"initModel\" : \"" + loaded.uid() + "\""),
        warm.metadataJson());
    assertEquals(8000, warm.transform(train).filter("prediction >= 0").count());
    // The same start survives a copy (a pipeline copies its stages).
    assertEquals(loaded, estimator.copy(new org.apache.spark.ml.param.ParamMap())
        .getInitialModel());

    var k = assertThrows(UserInputException.class,
        () -> new GaussianMixture().setK(4).setInitialModel(loaded).fit(train));
    assertTrue(k.getMessage().contains("differs from the initial model's k = 3"), k.getMessage());
    var cov = assertThrows(UserInputException.class, () -> new GaussianMixture()
        .setCovarianceType("full").setInitialModel(loaded).fit(train));
    assertTrue(cov.getMessage().contains("covariance type diag"), cov.getMessage());
    var dim = assertThrows(UserInputException.class, () -> new GaussianMixture()
        .setFeatureCols(new String[] {"x0", "x1"}).setInitialModel(loaded).fit(train));
    assertTrue(dim.getMessage().contains("dimension 3"), dim.getMessage());
  }
}
