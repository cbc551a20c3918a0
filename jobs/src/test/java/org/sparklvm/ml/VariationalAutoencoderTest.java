package org.sparklvm.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.jobs.SparkTests;
import org.sparklvm.jobs.cli.Lvm;

/** The VAE's Spark ML face: fit, save, and the same model through the command line and back. */
class VariationalAutoencoderTest {

  @TempDir Path dir;

  @Test
  void notebookModelEncodesLikeTheCommandLine() throws Exception {
    var spark = SparkTests.spark();
    Random random = new Random(1);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      double[] x = new double[6];
      int on = random.nextInt(2) * 3;
      for (int j = on; j < on + 3; j++) {
        x[j] = 1.0;
      }
      rows.add(RowFactory.create(Vectors.dense(x)));
    }
    Dataset<Row> data = spark.createDataFrame(rows,
        new StructType().add("features", SQLDataTypes.VectorType(), false)).repartition(2);
    VariationalAutoencoderModel model = new VariationalAutoencoder().setLatentDim(2)
        .setEncoder(new int[] {8}).setDecoder(new int[] {8}).setEpochs(3)
        .setBatchSizePerWorker(16).setLearningRate(1e-2).setValidationFraction(0.2).fit(data);
    assertEquals(3, new com.fasterxml.jackson.databind.ObjectMapper().readTree(model.metadataJson())
        .get("summary").get("validationElboHistory").size());
    String saved = dir.resolve("vae").toString();
    model.write().save(saved);
    String input = dir.resolve("data").toString();
    data.write().parquet(input);
    String encoded = dir.resolve("encoded").toString();
    assertEquals(0, Lvm.commandLine().execute("vae", "encode", "--model", saved, "--input", input,
        "--output", encoded));
    List<Row> fromCli = spark.read().parquet(encoded).limit(10).collectAsList();
    VariationalAutoencoderModel loaded = VariationalAutoencoderModel.load(saved);
    for (Row r : fromCli) {
      double[] x = ((Vector) r.getAs("features")).toArray();
      assertArrayEquals(loaded.vae().encode(x).mean(), ((Vector) r.getAs("zMean")).toArray(),
          1e-5);
    }
    Dataset<Row> scored = loaded.score(spark.read().parquet(input), 50);
    assertEquals(300, scored.count());
    Row means = scored.selectExpr("avg(logLikelihood)", "avg(elbo)").first();
    // IWAE >= ELBO in expectation; per row both are Monte Carlo estimates.
    assertTrue(means.getDouble(0) >= means.getDouble(1) - 0.05, means.toString());
  }
}
