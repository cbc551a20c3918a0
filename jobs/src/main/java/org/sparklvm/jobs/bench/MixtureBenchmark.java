package org.sparklvm.jobs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.mllib.linalg.Matrices;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.stat.distribution.MultivariateGaussian;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.ExpectationMaximization;
import org.sparklvm.core.gmm.FitResult;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.gmm.Initializer;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.gmm.SufficientStatistics;
import org.sparklvm.core.linalg.Blas;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;
import org.sparklvm.jobs.gmm.DistributedExpectation;
import org.sparklvm.jobs.gmm.MixtureFitter;
import org.sparklvm.jobs.gmm.MixtureSampleJob;

/**
 * Full-covariance EM, Spark MLlib's {@code GaussianMixture} against ours, on the same generated data
 * from the same starting mixture in one Spark application.
 */
public final class MixtureBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(MixtureBenchmark.class);

  private MixtureBenchmark() {}

  /** What one run measured. */
  public record Report(String blas, double mllibSecondsPerIteration, double oursSecondsPerIteration,
      double mllibMeanLogLikelihood, double oursMeanLogLikelihood, double oursGflops,
      double blasGflops, int iterations) {

    public double speedup() {
      return mllibSecondsPerIteration / oursSecondsPerIteration;
    }
  }

  /**
   * @throws IllegalArgumentException when {@code iterations < 1}
   */
  public static Report run(SparkSession spark, long rows, int dims, int k, int iterations,
      long seed) {
    if (iterations < 1) {
      throw new IllegalArgumentException("the benchmark needs at least 1 iteration");
    }
    GaussianMixtureModel planted = plantedMixture(k, dims, new Random(seed));
    int partitions = spark.sparkContext().defaultParallelism();
    Dataset<Row> table = MixtureSampleJob.sample(spark, planted, rows, seed, partitions,
        "features", List.of()).persist(StorageLevel.MEMORY_AND_DISK());
    FeatureColumns columns = FeatureColumns.resolve(table.schema(), "features", List.of(), null);
    EmSettings settings = new EmSettings(k, CovarianceType.FULL, iterations, 0.0, 1e-6,
        EmSettings.Initialization.KMEANS_PLUS_PLUS, 1, seed);
    try (FeatureData data = FeatureData.of(table, columns, 0, k, "benchmark data")) {
      RowBlock sample = data.sample(MixtureFitter.INIT_SAMPLE_ROWS, seed);
      // The start spark-lvm's own fit would use; MLlib is given the same one.
      GaussianMixtureModel start = Initializer.screened(sample, settings, new Random(seed));
      DistributedExpectation distributed = new DistributedExpectation(data.blocks());
      long[] flops = new long[1];
      List<Double> seconds = new ArrayList<>();
      FitResult ours = ExpectationMaximization.run(start, m -> {
        SufficientStatistics s = distributed.expect(m);
        flops[0] += s.flops();
        return s;
      }, settings, (it, ll, s) -> {
        LOG.info("spark-lvm iteration {}: mean log-likelihood {} ({} s)", it, ll, s);
        if (it > 0) {
          seconds.add(s);
        }
      });
      double oursPerIteration =
          median(seconds.stream().mapToDouble(Double::doubleValue).toArray());
      // Flops actually performed per iteration (pairs skipped as negligible cost nothing).
      double flopsPerIteration = flops[0] / (double) (iterations + 1);

      JavaRDD<org.apache.spark.mllib.linalg.Vector> vectors = table.javaRDD()
          .map(r -> Vectors.fromML((Vector) r.get(0))).persist(StorageLevel.MEMORY_AND_DISK());
      vectors.count();
      MllibRun peer = timeMllib(vectors, toMllib(start), iterations);
      vectors.unpersist(false);
      return new Report(Blas.implementation(), peer.secondsPerIteration(), oursPerIteration,
          distributed.expect(fromMllib(peer.model())).meanLogLikelihood(), ours.meanLogLikelihood(),
          flopsPerIteration / oursPerIteration / 1e9, gemmRate(dims), iterations);
    } finally {
      table.unpersist(false);
    }
  }

  private record MllibRun(org.apache.spark.mllib.clustering.GaussianMixtureModel model,
      double secondsPerIteration) {}

  /**
   * Runs MLlib for {@code iterations} from {@code start}, timed. MLlib stops as soon as its log-likelihood repeats exactly (tolerance 0
   * is the least it accepts), so it runs one iteration at a time, each run starting from the last
   * one's model: the same iterations. Each run's set-up (a cached copy of the data and a first()
   * job) is timed alone, as runs of zero iterations, and taken off; one run first warms up the JIT.
   * Reported: the median iteration.
   */
  private static MllibRun timeMllib(JavaRDD<org.apache.spark.mllib.linalg.Vector> vectors,
      org.apache.spark.mllib.clustering.GaussianMixtureModel start, int iterations) {
    mllib(vectors, start, 1);
    long s0 = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      mllib(vectors, start, 0);
    }
    double setUp = (System.nanoTime() - s0) / 3e9;
    org.apache.spark.mllib.clustering.GaussianMixtureModel model = start;
    double[] seconds = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      model = mllib(vectors, model, 1);
      seconds[i] = (System.nanoTime() - t0) / 1e9 - setUp;
    }
    return new MllibRun(model, median(seconds));
  }

  private static org.apache.spark.mllib.clustering.GaussianMixtureModel mllib(
      JavaRDD<org.apache.spark.mllib.linalg.Vector> vectors,
      org.apache.spark.mllib.clustering.GaussianMixtureModel start, int iterations) {
    return new org.apache.spark.mllib.clustering.GaussianMixture()
        .setK(start.k())
        .setInitialModel(start)
        .setMaxIterations(iterations)
        .setConvergenceTol(0.0)
        .run(vectors.rdd());
  }

  /** Median, robust to the odd slow iteration (a GC pause, a JIT deoptimisation). */
  static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  }

  /** The same mixture as MLlib's RDD-based model. */
  public static org.apache.spark.mllib.clustering.GaussianMixtureModel toMllib(
      GaussianMixtureModel m) {
    int d = m.dim();
    MultivariateGaussian[] gaussians = new MultivariateGaussian[m.k()];
    for (int c = 0; c < m.k(); c++) {
      // Row-major and column-major agree for a symmetric matrix.
      gaussians[c] = new MultivariateGaussian(Vectors.dense(m.mean(c)),
          Matrices.dense(d, d, m.covariance(c)));
    }
    return new org.apache.spark.mllib.clustering.GaussianMixtureModel(m.weights(), gaussians);
  }

  /** MLlib's model as ours (full covariance). */
  public static GaussianMixtureModel fromMllib(
      org.apache.spark.mllib.clustering.GaussianMixtureModel m) {
    int k = m.k();
    double[][] means = new double[k][];
    double[][] covs = new double[k][];
    for (int c = 0; c < k; c++) {
      means[c] = m.gaussians()[c].mu().toArray();
      covs[c] = m.gaussians()[c].sigma().toArray();
    }
    return new GaussianMixtureModel(CovarianceType.FULL, m.weights(), means, covs);
  }

  /** A well-separated random mixture: means spread 4 units, covariances {@code A A^T / d + I/2}. */
  public static GaussianMixtureModel plantedMixture(int k, int d, Random random) {
    double[] weights = new double[k];
    double[][] means = new double[k][d];
    double[][] covs = new double[k][];
    for (int c = 0; c < k; c++) {
      weights[c] = 1.0 / k;
      for (int j = 0; j < d; j++) {
        means[c][j] = 4.0 * random.nextGaussian();
      }
      double[] a = new double[d * d];
      for (int i = 0; i < a.length; i++) {
        a[i] = random.nextGaussian();
      }
      double[] cov = new double[d * d];
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          double s = 0.0;
          for (int p = 0; p < d; p++) {
            s += a[i * d + p] * a[j * d + p];
          }
          cov[i * d + j] = s / d + (i == j ? 0.5 : 0.0);
        }
      }
      covs[c] = cov;
    }
    return new GaussianMixtureModel(CovarianceType.FULL, weights, means, covs);
  }

  /** Single-thread GFLOP/s of the BLAS's matrix multiply on the E-step's shape (a block times P^T). */
  static double gemmRate(int dims) {
    int m = FeatureData.BLOCK_ROWS;
    int n = dims;
    double[] a = new double[m * dims];
    double[] b = new double[dims * n];
    double[] c = new double[m * n];
    Random r = new Random(1);
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextDouble();
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = r.nextDouble();
    }
    double best = 0.0;
    for (int rep = 0; rep < 5; rep++) {
      long t0 = System.nanoTime();
      int calls = 0;
      while (System.nanoTime() - t0 < 400_000_000L) {
        Blas.gemm(m, n, dims, a, b, 0.0, c);
        calls++;
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      best = Math.max(best, 2.0 * m * n * dims * calls / secs / 1e9);
    }
    return best;
  }
}
