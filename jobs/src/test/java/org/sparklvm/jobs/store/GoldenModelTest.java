package org.sparklvm.jobs.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.jobs.SparkTests;
import org.sparklvm.jobs.data.DataReader;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;
import org.sparklvm.jobs.data.InputSpec;
import org.sparklvm.jobs.gmm.MixtureKind;

/**
 * Models written by earlier versions stay loadable. {@code golden/gmm-v1} was written by spark-lvm
 * 0.1.0 (format version 1) with {@code lvm gmm fit --input iris.csv --feature-cols f0,f1,f2,f3 --k 3
 * --covariance full --seed 1}; reading it back must reproduce the mean log-likelihood it stored.
 */
class GoldenModelTest {

  @Test
  void formatVersionOneLoadsAndReproducesItsLogLikelihood() {
    var spark = SparkTests.spark();
    var golden = ModelStore.load(spark, MixtureKind.INSTANCE, new File("src/test/resources/golden/gmm-v1")
        .getAbsolutePath());
    assertEquals(1, golden.metadata().formatVersion());
    // 0.1.0 stored the anomaly reference as logDensityQuantiles: read as logLikelihoodQuantiles.
    JsonNode old = golden.metadata().summary().get("logDensityQuantiles");
    int median = 0;
    while (old.get("probabilities").get(median).asDouble() != 0.5) {
      median++;
    }
    assertEquals(old.get("values").get(median).asDouble(), golden.anomalyThreshold(0.5), 0.0);
    assertEquals(golden.summary().meanLogLikelihood(),
        golden.metadata().summary().get("meanLogLikelihood").asDouble(), 0.0);
    assertEquals(3, golden.model().k());
    // A maximum likelihood model: no prior, no posterior, none of a variational fit's summary.
    var whole = MixtureKind.load(spark, new File("src/test/resources/golden/gmm-v1")
        .getAbsolutePath());
    assertNull(((MixtureKind) whole.kind()).posterior());
    assertNull(whole.summary().lowerBound());
    assertNull(whole.summary().effectiveComponents());
    assertEquals(List.of("f0", "f1", "f2", "f3"), golden.featureCols());
    Dataset<Row> iris = DataReader.read(spark, new InputSpec(
        new File("../core/math/src/test/resources/sklearn/iris.csv").getAbsolutePath(), null, null,
        List.of(), null));
    FeatureColumns cols = FeatureColumns.resolve(iris.schema(), null, golden.featureCols(), null);
    try (FeatureData data = FeatureData.of(iris, cols, 4, 0, "iris")) {
      double sum = 0;
      for (RowBlock b : data.blocks().collect()) {
        double[] ld = new double[b.rows()];
        golden.model().evaluate(b, ld, null);
        for (double v : ld) {
          sum += v;
        }
      }
      assertEquals(golden.metadata().summary().get("meanLogLikelihood").asDouble(), sum / 150,
          1e-9);
    }
  }
}
