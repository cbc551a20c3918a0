package org.sparklvm.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.core.vae.ElboOutputLayer;
import org.sparklvm.core.vae.Objective;
import org.sparklvm.jobs.SparkTests;
import org.sparklvm.jobs.store.ModelStore;
import org.sparklvm.jobs.vae.VaeKind;

/** {@code vae fit --objective iwae}: trained through the CLI, kept in the model, refused if unknown. */
class VaeObjectiveTest {

  @TempDir static Path dir;

  @Test
  void iwaeObjectiveIsTrainedAndStored() {
    SparkSession spark = SparkTests.spark();
    Random random = new Random(4);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      double[] x = new double[6];
      for (int j = 0; j < x.length; j++) {
        x[j] = random.nextGaussian() + (i % 2 == 0 ? 2 : -2);
      }
      rows.add(RowFactory.create(Vectors.dense(x)));
    }
    String data = dir.resolve("rows.parquet").toString();
    spark.createDataFrame(rows, new StructType().add("features", SQLDataTypes.VectorType(), false))
        .repartition(2).write().parquet(data);
    String model = dir.resolve("iwae").toString();
    Cli f = Cli.run("vae", "fit", "--input", data, "--latent-dim", "2", "--encoder", "8",
        "--decoder", "8", "--likelihood", "gaussian", "--objective", "iwae", "--samples", "5",
        "--epochs", "2", "--batch-size-per-worker", "16", "--output", model);
    assertEquals(0, f.exitCode(), f.err());
    var stored = ModelStore.load(spark, VaeKind.INSTANCE, model);
    assertEquals("iwae", stored.metadata().params().get("objective").asText());
    assertEquals(Objective.IWAE, stored.model().architecture().objective());
    var network = stored.model().network();
    ElboOutputLayer layer = (ElboOutputLayer) network.getLayer(network.getnLayers() - 1).conf()
        .getLayer();
    assertEquals("iwae", layer.getObjective());
    assertEquals(5, layer.getSamples());
    assertTrue(Double.isFinite(stored.summary().validationElbo()), "validation ELBO");

    Cli bad = Cli.run("vae", "fit", "--input", data, "--objective", "bound", "--output",
        dir.resolve("bad").toString());
    assertEquals(2, bad.exitCode());
    assertTrue(bad.err().contains("--objective") && bad.err().contains("elbo, iwae"), bad.err());
  }
}
