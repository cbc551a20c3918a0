package org.sparklvm.jobs.cli;

import static org.sparklvm.core.settings.TaskSettings.BENCH_DIMS;
import static org.sparklvm.core.settings.TaskSettings.BENCH_ITERATIONS;
import static org.sparklvm.core.settings.TaskSettings.BENCH_K;
import static org.sparklvm.core.settings.TaskSettings.BENCH_ROWS;
import static org.sparklvm.core.settings.TaskSettings.BENCH_SEED;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.settings.TaskSettings;
import org.sparklvm.jobs.bench.MixtureBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lvm bench ...}: measured comparisons against the peer implementations. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks against the peer implementation, in one Spark application.",
    subcommands = {BenchCommand.Gmm.class})
final class BenchCommand {

  /** {@code lvm bench gmm}. */
  @Command(name = "gmm", mixinStandardHelpOptions = true, modelTransformer = Gmm.Declared.class,
      description = "Full-covariance EM: Spark MLlib GaussianMixture vs spark-lvm, same data and"
          + " starting mixture; seconds per iteration, log-likelihood, GFLOP/s.")
  static final class Gmm implements Callable<Integer> {

    /** The planted data and the run, from {@link TaskSettings}. */
    static final class Declared extends DeclaredOptions {
      Declared() {
        super(List.of(BENCH_ROWS, BENCH_DIMS, BENCH_K, BENCH_ITERATIONS, BENCH_SEED), Set.of());
      }
    }

    @Spec CommandSpec spec;
    @Mixin SparkOptions spark;

    @Override
    public Integer call() {
      long rows = DeclaredOptions.value(spec, BENCH_ROWS);
      int dims = DeclaredOptions.value(spec, BENCH_DIMS);
      int k = DeclaredOptions.value(spec, BENCH_K);
      int iterations = DeclaredOptions.value(spec, BENCH_ITERATIONS);
      long seed = DeclaredOptions.value(spec, BENCH_SEED);
      SparkSession session = spark.session("lvm bench gmm");
      MixtureBenchmark.Report r =
          MixtureBenchmark.run(session, rows, dims, k, iterations, seed);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("gmm benchmark: rows=%d dims=%d k=%d iterations=%d master=%s BLAS=%s%n", rows,
          dims, k, iterations, session.sparkContext().master(), r.blas());
      out.printf("%-22s %14s %20s%n", "", "s/iteration*", "mean log-likelihood");
      out.printf("%-22s %14.3f %20.6f%n", "Spark MLlib", r.mllibSecondsPerIteration(),
          r.mllibMeanLogLikelihood());
      out.printf("%-22s %14.3f %20.6f%n", "spark-lvm", r.oursSecondsPerIteration(),
          r.oursMeanLogLikelihood());
      out.printf("speed-up (MLlib / spark-lvm): %.1fx   (*median iteration)%n", r.speedup());
      out.printf("spark-lvm throughput: %.2f GFLOP/s; BLAS dgemm on one thread: %.2f GFLOP/s%n",
          r.oursGflops(), r.blasGflops());
      out.flush();
      return 0;
    }
  }
}
