package org.sparklvm.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.core.vae.DiagonalGaussian;
import org.sparklvm.core.vae.ImportanceSampler;
import org.sparklvm.core.vae.RefinementSettings;
import org.sparklvm.core.vae.VaeModel;
import org.sparklvm.jobs.SparkTests;
import org.sparklvm.jobs.store.ModelStore;
import org.sparklvm.jobs.vae.VaeKind;

/**
 * {@code vae score --refine-steps N} and {@code vae encode --refine-steps N} on a VAE trained for a
 * few epochs: the mean ELBO rises with N, and never exceeds the importance-sampled log-likelihood
 * (with the refined proposal) by more than their Monte Carlo error.
 */
class VaeRefineTest {

  @TempDir static Path dir;
  static SparkSession spark;
  static String data;
  static String model;

  /** Rows that switch on one of three planted binary patterns, 5% of bits flipped; a short fit. */
  @BeforeAll
  static void fit() {
    spark = SparkTests.spark();
    double[][] patterns = {{1, 1, 1, 0, 0, 0, 0, 0}, {0, 0, 0, 1, 1, 1, 0, 0},
        {0, 0, 0, 0, 0, 1, 1, 1}};
    Random random = new Random(3);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      double[] x = patterns[random.nextInt(3)].clone();
      for (int j = 0; j < x.length; j++) {
        if (random.nextDouble() < 0.05) {
          x[j] = 1 - x[j];
        }
      }
      rows.add(RowFactory.create(Vectors.dense(x)));
    }
    data = dir.resolve("binary.parquet").toString();
    spark.createDataFrame(rows, new StructType().add("features", SQLDataTypes.VectorType(), false))
        .repartition(2).write().parquet(data);
    model = dir.resolve("vae").toString();
    Cli f = Cli.run("vae", "fit", "--input", data, "--latent-dim", "2", "--encoder", "16",
        "--decoder", "16", "--epochs", "3", "--batch-size-per-worker", "16",
        "--validation-fraction", "0", "--output", model);
    assertEquals(0, f.exitCode(), f.err());
  }

  private static double meanElbo(int steps) {
    String scored = dir.resolve("scored-" + steps).toString();
    Cli s = Cli.run("vae", "score", "--model", model, "--input", data, "--output", scored,
        "--importance-samples", "100", "--elbo-samples", "50", "--refine-steps",
        Integer.toString(steps));
    assertEquals(0, s.exitCode(), s.err());
    return spark.read().parquet(scored).selectExpr("avg(elbo)").first().getDouble(0);
  }

  @Test
  void meanElboRisesWithTheSteps() {
    double none = meanElbo(0);
    double few = meanElbo(10);
    double many = meanElbo(60);
    assertTrue(none < few && few < many, "mean ELBO after 0, 10, 60 steps: " + none + ", " + few
        + ", " + many);
  }

  @Test
  void refinedElboStaysBelowTheImportanceSampledEstimate() {
    VaeModel vae = ModelStore.load(spark, VaeKind.INSTANCE, model).model().latentModel();
    List<Row> rows = spark.read().parquet(data).collectAsList();
    int n = rows.size();
    int d = 8;
    double[] x = new double[n * d];
    DiagonalGaussian[] start = new DiagonalGaussian[n];
    for (int r = 0; r < n; r++) {
      double[] row = ((Vector) rows.get(r).getAs("features")).toArray();
      System.arraycopy(row, 0, x, r * d, d);
      start[r] = vae.encode(row);
    }
    DiagonalGaussian[] q = vae.refine(x, start, new RefinementSettings(60, 0.05, 4),
        new Random(5));
    Random random = new Random(6);
    int draws = 100;
    double elbo = 0;
    double elboVariance = 0;
    double logLik = 0;
    double logLikVariance = 0;
    double[] z = new double[draws * 2];
    double[] one = new double[2];
    double[] ll = new double[draws];
    for (int r = 0; r < n; r++) {
      double[] row = java.util.Arrays.copyOfRange(x, r * d, r * d + d);
      for (int s = 0; s < draws; s++) {
        q[r].sample(random, one);
        System.arraycopy(one, 0, z, 2 * s, 2);
      }
      vae.logLikelihood(row, z, draws, ll);
      double kl = q[r].klToStandardNormal();
      double mean = java.util.Arrays.stream(ll).average().orElseThrow() - kl;
      double var = java.util.Arrays.stream(ll).map(v -> (v - kl - mean) * (v - kl - mean)).sum()
          / (draws - 1);
      elbo += mean / n;
      elboVariance += var / draws / ((double) n * n);
      ImportanceSampler.Estimate e = ImportanceSampler.estimate(vae, row, q[r], 1000, random, 1000);
      logLik += e.logLikelihood() / n;
      logLikVariance += e.standardError() * e.standardError() / ((double) n * n);
    }
    double error = Math.sqrt(elboVariance + logLikVariance);
    assertTrue(elbo <= logLik + 3 * error, "refined ELBO " + elbo + " above IWAE(1000) " + logLik
        + " by more than 3 x " + error);
  }

  @Test
  void encodeRefinesTheCode() {
    String plain = dir.resolve("codes").toString();
    String refined = dir.resolve("codes-refined").toString();
    assertEquals(0, Cli.run("vae", "encode", "--model", model, "--input", data, "--output", plain)
        .exitCode());
    Cli e = Cli.run("vae", "encode", "--model", model, "--input", data, "--output", refined,
        "--refine-steps", "20", "--seed", "7");
    assertEquals(0, e.exitCode(), e.err());
    assertEquals(300, spark.read().parquet(refined).count());
    assertEquals(2, Cli.run("vae", "encode", "--model", model, "--input", data, "--output",
        dir.resolve("bad").toString(), "--refine-steps", "-1").exitCode());
    List<Row> pairs = spark.read().parquet(plain).join(spark.read().parquet(refined)
        .withColumnRenamed("zMean", "refinedMean").select("features", "refinedMean"), "features")
        .select("zMean", "refinedMean").collectAsList();
    assertTrue(pairs.size() >= 300, "rows of the two codes matched on their features");
    double moved = 0;
    for (Row r : pairs) {
      double[] a = ((Vector) r.get(0)).toArray();
      double[] b = ((Vector) r.get(1)).toArray();
      for (int i = 0; i < a.length; i++) {
        moved = Math.max(moved, Math.abs(a[i] - b[i]));
      }
    }
    assertTrue(moved > 1e-3, "refinement moved no code: " + moved);
  }
}
