package org.sparklvm.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.jobs.SparkTests;

/** {@link GaussianMixtureModel#transform} on a Structured Streaming table, as on a static one. */
class GaussianMixtureStreamingTest {

  @TempDir Path dir;

  @Test
  void scoresAStreamRowByRowAsTheMixtureItselfDoes() throws Exception {
    SparkSession spark = SparkTests.spark();
    String[] features = {"x0", "x1", "x2"};
    GaussianMixtureModel model = new GaussianMixture().setK(3).setFeatureCols(features).setSeed(3)
        .fit(SparkTests.columns(SparkTests.planted(), 2000, 31));
    model.setAnomalyQuantile(0.05);
    double threshold = model.summary().anomalyThreshold(0.05, "model");

    String in = dir.resolve("in").toString();
    for (int file = 0; file < 2; file++) {
      SparkTests.columns(SparkTests.planted(), 150, 40 + file)
          .withColumn("id", functions.monotonically_increasing_id().plus(1000L * file))
          .coalesce(1).write().mode("append").parquet(in);
    }
    Dataset<Row> stream = spark.readStream().schema(spark.read().parquet(in).schema())
        .option("maxFilesPerTrigger", 1L).parquet(in);
    assertTrue(stream.isStreaming());
    StreamingQuery query = model.transform(stream).writeStream().format("memory")
        .queryName("gmm_stream_scores").outputMode("append").start();
    try {
      query.processAllAvailable();
    } finally {
      query.stop();
    }
    assertTrue(query.exception().isEmpty());

    List<Row> rows = spark.table("gmm_stream_scores").collectAsList();
    assertEquals(300, rows.size());
    Set<Long> ids = new HashSet<>();
    int flagged = 0;
    for (Row r : rows) {
      assertTrue(ids.add(r.<Long>getAs("id")), "row " + r.getAs("id") + " scored twice");
      double[] x = {r.getAs("x0"), r.getAs("x1"), r.getAs("x2")};
      double expected = model.mixture().logDensity(x);
      double ll = r.getAs("logLikelihood");
      assertEquals(expected, ll, 1e-9);
      assertEquals(expected < threshold, r.<Boolean>getAs("anomaly"));
      flagged += expected < threshold ? 1 : 0;
    }
    // 5% of rows drawn from the planted mixture, give or take.
    assertTrue(flagged > 2 && flagged < 40, "flagged " + flagged);
    spark.sql("DROP VIEW IF EXISTS gmm_stream_scores");
  }
}
