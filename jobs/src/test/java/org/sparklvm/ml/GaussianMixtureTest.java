package org.sparklvm.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.jobs.SparkTests;
import org.sparklvm.jobs.gmm.MixtureKind;
import org.sparklvm.jobs.store.ModelStore;

/** The Spark ML face: fit/transform, and models shared with the command line both ways. */
class GaussianMixtureTest {

  @TempDir Path dir;

  @Test
  void notebookModelScoresFromTheCommandLineAndBack() throws Exception {
    var spark = SparkTests.spark();
    Dataset<Row> train = SparkTests.vectors(SparkTests.planted(), 6000, 21);
    GaussianMixtureModel fitted = new GaussianMixture().setK(3).setSeed(5).fit(train);
    assertEquals(3, fitted.mixture().k());
    String saved = dir.resolve("from-notebook").toString();
    fitted.write().save(saved);

    String data = dir.resolve("data").toString();
    train.write().parquet(data);
    String scored = dir.resolve("scored").toString();
    int code = org.sparklvm.jobs.cli.Lvm.commandLine().execute("gmm", "score", "--model",
        saved, "--input", data, "--output", scored);
    assertEquals(0, code);
    Dataset<Row> cli = spark.read().parquet(scored).orderBy("logLikelihood");
    Dataset<Row> ml = GaussianMixtureModel.load(saved).transform(spark.read().parquet(data))
        .orderBy("logLikelihood");
    List<Row> a = cli.limit(50).collectAsList();
    List<Row> b = ml.limit(50).collectAsList();
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).<Double>getAs("logLikelihood"), b.get(i).<Double>getAs("logLikelihood"), 1e-12);
      assertEquals(a.get(i).<Integer>getAs("prediction"), b.get(i).<Integer>getAs("prediction"));
    }
    assertEquals(fitted.meanLogLikelihood(),
        ModelStore.load(spark, MixtureKind.INSTANCE, saved).metadata().summary().get("meanLogLikelihood").asDouble());
    // MLWriter refuses an existing path unless told to overwrite, as Spark's own models do.
    assertThrows(java.io.IOException.class, () -> fitted.write().save(saved));
    fitted.write().overwrite().save(saved);
  }

  @Test
  void worksInsideAPipelineOnNumericColumnsWithAnAnomalyFlag() {
    Dataset<Row> train = SparkTests.columns(SparkTests.planted(), 5000, 22);
    VectorAssembler assemble = new VectorAssembler()
        .setInputCols(new String[] {"x0", "x1", "x2"}).setOutputCol("features");
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {assemble,
        new GaussianMixture().setK(3).setCovarianceType("diag")});
    PipelineModel model = pipeline.fit(train);
    GaussianMixtureModel gmm = (GaussianMixtureModel) model.stages()[1];
    assertEquals("diag", gmm.mixture().covarianceType().id());
    gmm.setAnomalyQuantile(0.1);
    Dataset<Row> out = model.transform(train);
    assertEquals(500, out.filter("anomaly").count(), 60);

    GaussianMixtureModel direct = new GaussianMixture().setK(3)
        .setFeatureCols(new String[] {"x0", "x1", "x2"}).setSeed(1).fit(train);
    assertEquals(5000, direct.transform(train).filter("prediction >= 0").count());
  }

  /**
   * {@code lvm gmm fit} with its defaults and the estimator with its defaults fit the same mixture
   * on the same table: the two faces take their defaults from one declaration (the seed once
   * differed, 42 against 0).
   */
  @Test
  void commandLineAndEstimatorDefaultsFitTheSameMixture() {
    var spark = SparkTests.spark();
    String data = dir.resolve("same-data").toString();
    SparkTests.vectors(SparkTests.planted(), 4000, 31).write().parquet(data);
    String saved = dir.resolve("from-cli").toString();
    assertEquals(0, org.sparklvm.jobs.cli.Lvm.commandLine().execute("gmm", "fit", "--input", data,
        "--k", "3", "--output", saved));
    var cli = ModelStore.load(spark, MixtureKind.INSTANCE, saved).model();
    var ml = new GaussianMixture().setK(3).fit(spark.read().parquet(data)).mixture();
    assertSameMixture(cli, ml, 1e-12);
    // The check has teeth: another seed starts elsewhere and stops elsewhere.
    var other = new GaussianMixture().setK(3).setSeed(0).fit(spark.read().parquet(data)).mixture();
    assertThrows(AssertionError.class, () -> assertSameMixture(cli, other, 1e-12));
  }

  private static void assertSameMixture(org.sparklvm.core.gmm.GaussianMixtureModel a,
      org.sparklvm.core.gmm.GaussianMixtureModel b, double tolerance) {
    assertEquals(a.k(), b.k());
    assertArrayEquals(a.weights(), b.weights(), tolerance);
    for (int c = 0; c < a.k(); c++) {
      assertArrayEquals(a.mean(c), b.mean(c), tolerance, "mean " + c);
      assertArrayEquals(a.covariance(c), b.covariance(c), tolerance, "covariance " + c);
    }
  }
}
