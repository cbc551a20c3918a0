package org.sparklvm.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.jobs.SparkTests;

/**
 * VAE models written by earlier versions stay loadable and score as they did. {@code golden/vae-v1}
 * was written by spark-lvm 0.1.0 (format version 1; its {@code network.zip} names the layer class
 * {@code org.sparklvm.core.vae.ElboOutputLayer}) with {@code lvm vae fit --input train.csv
 * --latent-dim 2 --encoder 8 --decoder 8 --likelihood gaussian --epochs 3 --batch-size-per-worker 32
 * --importance-samples 20 --seed 11 --master local[1]} on 400 rows of a 2-factor linear-Gaussian model
 * in 6 dimensions. {@code vae-v1-probe} holds 20 of those rows and what 0.1.0's {@code lvm vae encode}
 * and {@code lvm vae score --importance-samples 50 --anomaly-quantile 0.1} wrote for them.
 */
class GoldenVaeTest {

  private static final String GOLDEN = new File("src/test/resources/golden/vae-v1")
      .getAbsolutePath();
  private static final String PROBE = new File("src/test/resources/golden/vae-v1-probe")
      .getAbsolutePath();

  @TempDir Path dir;

  @Test
  void formatVersionOneEncodesAsItDid() {
    SparkSession spark = SparkTests.spark();
    String out = dir.resolve("encoded").toString();
    Cli r = Cli.run("vae", "encode", "--model", GOLDEN, "--input", PROBE + "/probe.csv",
        "--output", out);
    assertEquals(0, r.exitCode(), r.err());
    List<Row> now = spark.read().parquet(out).collectAsList();
    List<Row> then = spark.read().parquet(PROBE + "/encoded.parquet").collectAsList();
    assertEquals(20, now.size());
    for (int i = 0; i < then.size(); i++) {
      for (String col : List.of("zMean", "zLogVar")) {
        assertArrayEquals(((Vector) then.get(i).getAs(col)).toArray(),
            ((Vector) now.get(i).getAs(col)).toArray(), 1e-6, col + " of row " + i);
      }
    }
  }

  @Test
  void formatVersionOneScoresAsItDid() {
    SparkSession spark = SparkTests.spark();
    String out = dir.resolve("scored").toString();
    Cli r = Cli.run("vae", "score", "--model", GOLDEN, "--input", PROBE + "/probe.csv",
        "--output", out, "--importance-samples", "50", "--anomaly-quantile", "0.1");
    assertEquals(0, r.exitCode(), r.err());
    List<Row> now = spark.read().parquet(out).collectAsList();
    List<Row> then = spark.read().parquet(PROBE + "/scored.parquet").collectAsList();
    assertEquals(20, now.size());
    for (int i = 0; i < then.size(); i++) {
      for (String col : List.of("elbo", "reconstruction", "kl", "logLikelihood")) {
        assertEquals((double) then.get(i).getAs(col), (double) now.get(i).getAs(col), 1e-6,
            col + " of row " + i);
      }
      assertEquals((boolean) then.get(i).getAs("anomaly"), (boolean) now.get(i).getAs("anomaly"),
          "anomaly of row " + i);
    }
  }
}
