package org.sparklvm.jobs.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.ExpectationMaximization;
import org.sparklvm.core.gmm.ExpectationMaximization.Outcome;
import org.sparklvm.core.gmm.FitResult;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.gmm.Initializer;
import org.sparklvm.core.gmm.RestartPruning;
import org.sparklvm.core.linalg.Blas;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;
import org.sparklvm.jobs.gmm.DistributedExpectation;
import org.sparklvm.jobs.gmm.MixtureFitter;

/**
 * {@code --n-init R} three ways on the same cached data: one fit (start 0 alone), R separate fits
 * one after another (each start screened, then its own EM to convergence, as before shared passes),
 * and R shared ({@link MixtureFitter#fit}: starts screened concurrently, runs advanced together,
 * the settings' {@code --drop-restarts-after} rule dropping losers). Every side uses the same starts
 * (seeds {@code seed + i}). Times are wall-clock and processor time of this JVM (driver and, in local
 * mode, executors), the latter the fairer cost on a machine others use. The R separate fits are also
 * the replay of the shared run without dropping: the rule is applied to their histories to tell
 * whether it would have dropped the eventual winner.
 */
public final class RestartBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(RestartBenchmark.class);

  private RestartBenchmark() {}

  /**
   * What one run measured; seconds are wall-clock, start screening included ({@code *InitSeconds}
   * of it).
   *
   * @param separateIterations EM iterations summed over the R separate fits
   * @param sharedIterations EM iterations summed over the R shared runs (a dropped run's until dropped)
   * @param dropIterations per start, the iteration the rule dropped it at in the replay, -1 never
   * @param winnerDropped whether the replay's rule dropped the start with the best final
   *     log-likelihood
   */
  public record Report(String data, String covariance, int k, int restarts, long rows, int dims,
      int threads, String blas, double oneSeconds, double oneInitSeconds, double separateSeconds,
      double separateInitSeconds, double sharedSeconds, double sharedInitSeconds,
      double oneMeanLogLikelihood, double separateMeanLogLikelihood,
      double sharedMeanLogLikelihood, int oneIterations, int separateIterations,
      int sharedIterations, int[] dropIterations, boolean winnerDropped, double oneCpuSeconds,
      double separateCpuSeconds, double sharedCpuSeconds) {

    /** Shared over one fit: the figure issue 11 bounds by 2.5. */
    public double sharedOverOne() {
      return sharedSeconds / oneSeconds;
    }

    public double separateOverOne() {
      return separateSeconds / oneSeconds;
    }

    /** The same ratio in processor time, which other processes on the machine hardly disturb. */
    public double sharedOverOneCpu() {
      return sharedCpuSeconds / oneCpuSeconds;
    }

    public double separateOverOneCpu() {
      return separateCpuSeconds / oneCpuSeconds;
    }

    public ObjectNode json(ObjectNode n) {
      n.put("data", data);
      n.put("covariance", covariance);
      n.put("k", k);
      n.put("restarts", restarts);
      n.put("rows", rows);
      n.put("dims", dims);
      n.put("threads", threads);
      n.put("blas", blas);
      n.put("oneSeconds", oneSeconds);
      n.put("oneInitSeconds", oneInitSeconds);
      n.put("separateSeconds", separateSeconds);
      n.put("separateInitSeconds", separateInitSeconds);
      n.put("sharedSeconds", sharedSeconds);
      n.put("sharedInitSeconds", sharedInitSeconds);
      n.put("sharedOverOne", sharedOverOne());
      n.put("separateOverOne", separateOverOne());
      n.put("oneCpuSeconds", oneCpuSeconds);
      n.put("separateCpuSeconds", separateCpuSeconds);
      n.put("sharedCpuSeconds", sharedCpuSeconds);
      n.put("sharedOverOneCpu", sharedOverOneCpu());
      n.put("separateOverOneCpu", separateOverOneCpu());
      n.put("oneMeanLogLikelihood", oneMeanLogLikelihood);
      n.put("separateMeanLogLikelihood", separateMeanLogLikelihood);
      n.put("sharedMeanLogLikelihood", sharedMeanLogLikelihood);
      n.put("oneIterations", oneIterations);
      n.put("separateIterations", separateIterations);
      n.put("sharedIterations", sharedIterations);
      var drops = n.putArray("dropIterations");
      for (int d : dropIterations) {
        drops.add(d);
      }
      n.put("winnerDropped", winnerDropped);
      return n;
    }
  }

  /**
   * Times the three ways on {@code table}'s feature columns.
   *
   * @throws IllegalArgumentException when {@code settings.restarts() < 2}
   */
  public static Report run(SparkSession spark, Dataset<Row> table, FeatureColumns columns,
      EmSettings settings, String data) {
    if (settings.restarts() < 2) {
      throw new IllegalArgumentException("the restart benchmark needs --n-init of at least 2");
    }
    try (FeatureData features = FeatureData.of(table, columns, 0, settings.k(), data)) {
      DistributedExpectation pass = new DistributedExpectation(features.blocks());
      // JIT and block cache warm before anything is timed.
      GaussianMixtureModel warm = Initializer.initialize(
          features.sample(2000, settings.seed()), settings, new Random(settings.seed()));
      pass.expect(warm);

      double c0 = cpuSeconds();
      List<FitResult> separate = new ArrayList<>();
      double[] init = new double[settings.restarts()];
      double[] total = new double[settings.restarts()];
      for (int r = 0; r < settings.restarts(); r++) {
        long t0 = System.nanoTime();
        long seed = settings.seed() + r;
        GaussianMixtureModel start = Initializer.screened(
            features.sample(MixtureFitter.INIT_SAMPLE_ROWS, seed), settings, new Random(seed));
        init[r] = seconds(t0);
        separate.add(ExpectationMaximization.run(start, pass, settings, (i, ll, s) -> { }));
        total[r] = seconds(t0);
        LOG.info("separate fit {}: {} after {} iterations, {} s (init {} s); history {}", r + 1,
            separate.get(r).meanLogLikelihood(), separate.get(r).iterations(), total[r], init[r],
            separate.get(r).logLikelihoodHistory());
      }
      double separateCpu = cpuSeconds() - c0;
      // Start 0 alone again, now that it is warm: the one fit.
      double c1 = cpuSeconds();
      long t1 = System.nanoTime();
      GaussianMixtureModel start0 = Initializer.screened(
          features.sample(MixtureFitter.INIT_SAMPLE_ROWS, settings.seed()), settings,
          new Random(settings.seed()));
      double oneInit = seconds(t1);
      FitResult one = ExpectationMaximization.run(start0, pass, settings, (i, ll, s) -> { });
      double oneSeconds = seconds(t1);
      double oneCpu = cpuSeconds() - c1;
      double c2 = cpuSeconds();

      long t2 = System.nanoTime();
      List<GaussianMixtureModel> starts = MixtureFitter.starts(features, settings);
      double sharedInit = seconds(t2);
      List<Outcome> shared = MixtureFitter.together(features, starts,
          new int[starts.size()], settings, settings.pruning(), "bench shared");
      double sharedSeconds = seconds(t2);
      double sharedCpu = cpuSeconds() - c2;
      FitResult sharedBest = MixtureFitter.best(shared, new int[shared.size()]).get(0);

      int[] drops = replay(separate, settings.pruning(), settings.maxIterations());
      int winner = 0;
      for (int r = 1; r < separate.size(); r++) {
        if (separate.get(r).meanLogLikelihood() > separate.get(winner).meanLogLikelihood()) {
          winner = r;
        }
      }
      return new Report(data, settings.covarianceType().id(), settings.k(), settings.restarts(),
          features.rows(), features.dim(), spark.sparkContext().defaultParallelism(),
          Blas.implementation(), oneSeconds, oneInit, sum(total), sum(init), sharedSeconds,
          sharedInit, one.meanLogLikelihood(), separate.get(winner).meanLogLikelihood(),
          sharedBest.meanLogLikelihood(), one.iterations(),
          separate.stream().mapToInt(FitResult::iterations).sum(),
          shared.stream().mapToInt(o -> o.fit().iterations()).sum(), drops, drops[winner] >= 0,
          oneCpu, separateCpu, sharedCpu);
    }
  }

  /**
   * The iteration at which {@code pruning} drops each run, replayed on runs that went on undropped,
   * as {@link ExpectationMaximization#runTogether} decides it (the leader is the best run not dropped
   * so far; an undropped run's history does not depend on the others). An iteration where the
   * log-likelihood fell counts as one that reinitialised a component (EM proper never falls). -1:
   * never dropped.
   */
  static int[] replay(List<FitResult> runs, RestartPruning pruning, int maxIterations) {
    int n = runs.size();
    int[] dropped = new int[n];
    java.util.Arrays.fill(dropped, -1);
    int longest = runs.stream().mapToInt(FitResult::iterations).max().orElse(0);
    for (int t = 1; t <= longest; t++) {
      double leader = Double.NEGATIVE_INFINITY;
      for (int r = 0; r < n; r++) {
        if (dropped[r] < 0) {
          leader = Math.max(leader, at(runs.get(r), t));
        }
      }
      List<Integer> drop = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        FitResult f = runs.get(r);
        if (dropped[r] >= 0 || t >= f.iterations() || at(f, t) >= leader) {
          continue;
        }
        List<Double> h = f.logLikelihoodHistory().subList(0, t + 1);
        List<Boolean> fell = new ArrayList<>();
        fell.add(false);
        for (int s = 1; s <= t; s++) {
          fell.add(h.get(s) < h.get(s - 1));
        }
        if (pruning.drops(h, fell, leader, maxIterations)) {
          drop.add(r);
        }
      }
      for (int r : drop) {
        dropped[r] = t;
      }
    }
    return dropped;
  }

  private static double at(FitResult f, int t) {
    List<Double> h = f.logLikelihoodHistory();
    return h.get(Math.min(t, h.size() - 1));
  }

  private static double sum(double[] v) {
    double s = 0.0;
    for (double x : v) {
      s += x;
    }
    return s;
  }

  /** Processor seconds of this JVM so far, every thread. */
  private static double cpuSeconds() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() / 1e9;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
