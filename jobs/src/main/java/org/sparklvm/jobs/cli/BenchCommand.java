package org.sparklvm.jobs.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.jobs.bench.MixtureBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lvm bench ...}: measured comparisons against the peer implementations. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks against the peer implementation, in one Spark application.",
    subcommands = {BenchCommand.Gmm.class})
final class BenchCommand {

  /** {@code lvm bench gmm}. */
  @Command(name = "gmm", mixinStandardHelpOptions = true,
      description = "Full-covariance EM: Spark MLlib GaussianMixture vs spark-lvm, same data and"
          + " starting mixture; seconds per iteration, log-likelihood, GFLOP/s.")
  static final class Gmm implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin SparkOptions spark;

    @Option(names = "--rows", defaultValue = "200000") long rows;
    @Option(names = "--dims", defaultValue = "32") int dims;
    @Option(names = "--k", defaultValue = "16") int k;
    @Option(names = "--iterations", defaultValue = "10") int iterations;
    @Option(names = "--seed", defaultValue = "42") long seed;

    @Override
    public Integer call() {
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
