package org.sparklvm.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

  /** Every peer's covariance regulariser (sklearn's default too). */
  static final double REG_COVAR = 1e-6;

  private MixtureBenchmark() {}

  /** How the planted components lie: {@code --separation}. */
  public enum Separation {
    SEPARATED, OVERLAPPING;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @throws IllegalArgumentException for an unknown id */
    public static Separation of(String id) {
      for (Separation s : values()) {
        if (s.id().equals(id)) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown separation " + id);
    }
  }

  /**
   * What one run measured. Seconds are per EM iteration; sklearn's fields are NaN (its version,
   * BLAS null) when it did not run, and {@code sklearnMissing} says why.
   *
   * @param gflops operations actually performed (pruned pairs cost nothing) per second
   * @param unprunedGflops {@link #unprunedFlopsPerIteration} per measured second
   * @param dgemmGflops the BLAS's matrix-multiply rate, {@code threads} threads at once
   * @param cachedMemoryBytes what Spark's storage reports for the cached row blocks, in memory
   * @param cachedDiskBytes and spilled to disk
   */
  public record Report(String separation, long rows, int dims, int k, int iterations, int threads,
      String blas, double mllibSecondsPerIteration, double oursSecondsPerIteration,
      double sklearnSecondsPerIteration, double mllibMeanLogLikelihood,
      double oursMeanLogLikelihood, double sklearnMeanLogLikelihood, String sklearnVersion,
      JsonNode sklearnBlas, String sklearnMissing, double gflops, double unprunedGflops,
      double dgemmGflops, long cachedMemoryBytes, long cachedDiskBytes) {

    public double speedup() {
      return mllibSecondsPerIteration / oursSecondsPerIteration;
    }

    /** sklearn's seconds per iteration over ours; NaN without sklearn. */
    public double sklearnSpeedup() {
      return sklearnSecondsPerIteration / oursSecondsPerIteration;
    }

    /** The flops of one full-covariance iteration that prunes nothing: E-step and M-step. */
    public static double unprunedFlopsPerIteration(long rows, int k, int dims) {
      return 4.0 * rows * k * dims * (double) dims;
    }

    /** The fields of the last stdout line; NaN becomes null. */
    public ObjectNode json(ObjectNode n) {
      n.put("separation", separation);
      n.put("rows", rows);
      n.put("dims", dims);
      n.put("k", k);
      n.put("iterations", iterations);
      n.put("threads", threads);
      n.put("blas", blas);
      BenchJson.number(n, "mllibSecondsPerIteration", mllibSecondsPerIteration);
      BenchJson.number(n, "sklearnSecondsPerIteration", sklearnSecondsPerIteration);
      BenchJson.number(n, "secondsPerIteration", oursSecondsPerIteration);
      BenchJson.number(n, "mllibOverOurs", speedup());
      BenchJson.number(n, "sklearnOverOurs", sklearnSpeedup());
      BenchJson.number(n, "mllibMeanLogLikelihood", mllibMeanLogLikelihood);
      BenchJson.number(n, "sklearnMeanLogLikelihood", sklearnMeanLogLikelihood);
      BenchJson.number(n, "meanLogLikelihood", oursMeanLogLikelihood);
      n.put("sklearnVersion", sklearnVersion);
      n.set("sklearnBlas", sklearnBlas);
      n.put("sklearnMissing", sklearnMissing);
      BenchJson.number(n, "gflops", gflops);
      BenchJson.number(n, "unprunedGflops", unprunedGflops);
      BenchJson.number(n, "dgemmGflops", dgemmGflops);
      n.put("cachedMemoryBytes", cachedMemoryBytes);
      n.put("cachedDiskBytes", cachedDiskBytes);
      return n;
    }

  }

  /**
   * Runs the three peers, sklearn through {@code python3} (or {@code LVM_PYTHON}) when installed.
   *
   * @throws IllegalArgumentException when {@code iterations < 1}
   */
  public static Report run(SparkSession spark, long rows, int dims, int k, int iterations,
      long seed, Separation separation) {
    return run(spark, rows, dims, k, iterations, seed, separation, true);
  }

  /**
   * As above; without {@code peers} spark-lvm runs alone (the peers' fields NaN, sklearn's missing
   * reason "--peers none") and the generated table is not cached, only our blocks.
   */
  public static Report run(SparkSession spark, long rows, int dims, int k, int iterations,
      long seed, Separation separation, boolean peers) {
    return run(spark, rows, dims, k, iterations, seed, separation,
        peers ? PythonPeer.defaultPython() : null);
  }

  /**
   * As above with the interpreter named (a test points it at one that is not there); {@code null}
   * runs no peer.
   */
  static Report run(SparkSession spark, long rows, int dims, int k, int iterations, long seed,
      Separation separation, String python) {
    if (iterations < 1) {
      throw new IllegalArgumentException("the benchmark needs at least 1 iteration");
    }
    Random random = new Random(seed);
    GaussianMixtureModel planted = separation == Separation.OVERLAPPING
        ? overlappingMixture(k, dims, random) : plantedMixture(k, dims, random);
    int partitions = spark.sparkContext().defaultParallelism();
    boolean peers = python != null;
    Dataset<Row> table = MixtureSampleJob.sample(spark, planted, rows, seed, partitions,
        "features", List.of());
    if (peers) {
      table = table.persist(StorageLevel.MEMORY_AND_DISK());
    }
    FeatureColumns columns = FeatureColumns.resolve(table.schema(), "features", List.of(), null);
    EmSettings settings = new EmSettings(k, CovarianceType.FULL, iterations, 0.0, REG_COVAR,
        EmSettings.Initialization.KMEANS_PLUS_PLUS, 1, seed);
    try (FeatureData data = FeatureData.of(table, columns, 0, k, "benchmark data")) {
      RowBlock sample = data.sample(MixtureFitter.INIT_SAMPLE_ROWS, seed);
      // The start spark-lvm's own fit would use; MLlib and sklearn are given the same one.
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

      FeatureData.Storage storage = data.storage();
      LOG.info("cached blocks: {} bytes in memory, {} on disk; raw doubles {} bytes",
          storage.memoryBytes(), storage.diskBytes(), 8L * rows * dims);
      double mllibPerIteration = Double.NaN;
      double mllibLogLikelihood = Double.NaN;
      SklearnPeer.Outcome sk = SklearnPeer.Outcome.absent("--peers none");
      if (peers) {
        JavaRDD<org.apache.spark.mllib.linalg.Vector> vectors = table.javaRDD()
            .map(r -> Vectors.fromML((Vector) r.get(0))).persist(StorageLevel.MEMORY_AND_DISK());
        vectors.count();
        MllibRun peer = timeMllib(vectors, toMllib(start), iterations);
        vectors.unpersist(false);
        mllibPerIteration = peer.secondsPerIteration();
        mllibLogLikelihood = distributed.expect(fromMllib(peer.model())).meanLogLikelihood();
        sk = SklearnPeer.run(python, table, start, REG_COVAR, iterations, partitions);
        if (!sk.present()) {
          LOG.warn("{}: the bench runs without it", sk.missing());
        }
      }
      return new Report(separation.id(), rows, dims, k, iterations, partitions,
          Blas.implementation(), mllibPerIteration, oursPerIteration,
          sk.secondsPerIteration(), mllibLogLikelihood,
          // Every log-likelihood is of the final model, as sklearn's score() is.
          distributed.expect(ours.model()).meanLogLikelihood(), sk.meanLogLikelihood(),
          sk.version(), sk.blas(), sk.missing(),
          flopsPerIteration / oursPerIteration / 1e9,
          Report.unprunedFlopsPerIteration(rows, k, dims) / oursPerIteration / 1e9,
          gemmRate(dims, partitions), storage.memoryBytes(), storage.diskBytes());
    } finally {
      if (peers) {
        table.unpersist(false);
      }
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
    return randomMixture(k, d, random, (i, j, g) -> g, d, 0.5);
  }

  /**
   * Overlapping components: means 4 N(0, I) as in {@link #plantedMixture}, each component a random
   * linear map of unit Gaussians, x = mu + A z with A = 8 (I + G / (4 sqrt d)), G standard normal.
   * Near-isotropic spreads of about 8 around means some 4 sqrt(2d) apart: at d = 32, k = 16 a row's
   * largest planted responsibility is about 0.84 on average (1.0 for the separated data).
   */
  public static GaussianMixtureModel overlappingMixture(int k, int d, Random random) {
    return randomMixture(k, d, random,
        (i, j, g) -> 8.0 * ((i == j ? 1.0 : 0.0) + g / (4.0 * Math.sqrt(d))), 1.0, 0.0);
  }

  /** Entry (i, j) of a component's random map from its standard normal draw {@code g}. */
  @FunctionalInterface
  private interface MapEntry {
    double of(int i, int j, double g);
  }

  /**
   * Equal weights, means 4 N(0, I), and per component the covariance {@code A A^T / divisor + ridge
   * I} of a random map A whose entries come from standard normal draws in row-major order.
   */
  private static GaussianMixtureModel randomMixture(int k, int d, Random random, MapEntry entry,
      double divisor, double ridge) {
    double[] weights = new double[k];
    double[][] means = new double[k][d];
    double[][] covs = new double[k][];
    for (int c = 0; c < k; c++) {
      weights[c] = 1.0 / k;
      for (int j = 0; j < d; j++) {
        means[c][j] = 4.0 * random.nextGaussian();
      }
      double[] a = new double[d * d];
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          a[i * d + j] = entry.of(i, j, random.nextGaussian());
        }
      }
      double[] cov = new double[d * d];
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          double s = 0.0;
          for (int p = 0; p < d; p++) {
            s += a[i * d + p] * a[j * d + p];
          }
          cov[i * d + j] = s / divisor + (i == j ? ridge : 0.0);
        }
      }
      covs[c] = cov;
    }
    return new GaussianMixtureModel(CovarianceType.FULL, weights, means, covs);
  }

  /**
   * GFLOP/s of the BLAS's matrix multiply on the E-step's shape (a block times P^T), summed over
   * {@code threads} threads multiplying at once, as Spark's task slots do; each call on one thread.
   */
  static double gemmRate(int dims, int threads) {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<Double>> rates = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        rates.add(pool.submit(() -> gemmRate(dims)));
      }
      double sum = 0.0;
      for (java.util.concurrent.Future<Double> f : rates) {
        sum += f.get();
      }
      return sum;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** One thread's GFLOP/s of the BLAS's matrix multiply on the E-step's shape (a block times P^T). */
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
    for (int rep = 0; rep < 3; rep++) {
      long t0 = System.nanoTime();
      int calls = 0;
      while (System.nanoTime() - t0 < 300_000_000L) {
        Blas.gemm(m, n, dims, a, b, 0.0, c);
        calls++;
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      best = Math.max(best, 2.0 * m * n * dims * calls / secs / 1e9);
    }
    return best;
  }
}
