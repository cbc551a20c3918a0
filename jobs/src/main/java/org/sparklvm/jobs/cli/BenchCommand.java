package org.sparklvm.jobs.cli;

import static org.sparklvm.core.settings.TaskSettings.BENCH_DIMS;
import static org.sparklvm.core.settings.TaskSettings.BENCH_ITERATIONS;
import static org.sparklvm.core.settings.TaskSettings.BENCH_K;
import static org.sparklvm.core.settings.TaskSettings.BENCH_PEERS;
import static org.sparklvm.core.settings.TaskSettings.BENCH_ROWS;
import static org.sparklvm.core.settings.TaskSettings.BENCH_SEED;
import static org.sparklvm.core.settings.TaskSettings.BENCH_SEPARATION;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.settings.TaskSettings;
import org.sparklvm.jobs.bench.MixtureBenchmark;
import org.sparklvm.jobs.bench.MixtureBenchmark.Separation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lvm bench ...}: measured comparisons against the peer implementations. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks against the peer implementations, on the same data.",
    subcommands = {BenchCommand.Gmm.class, BenchRestartsCommand.class, VaeBenchCommand.class})
final class BenchCommand {

  /** {@code lvm bench gmm}. */
  @Command(name = "gmm", mixinStandardHelpOptions = true, modelTransformer = Gmm.Declared.class,
      description = "Full-covariance EM: Spark MLlib GaussianMixture, scikit-learn (when python3"
          + " has it) and spark-lvm, same data and starting mixture; seconds per iteration,"
          + " log-likelihood, GFLOP/s.")
  static final class Gmm implements Callable<Integer> {

    /** The planted data and the run, from {@link TaskSettings}. */
    static final class Declared extends DeclaredOptions {
      Declared() {
        super(List.of(BENCH_ROWS, BENCH_DIMS, BENCH_K, BENCH_ITERATIONS, BENCH_SEED,
            BENCH_SEPARATION, BENCH_PEERS), Set.of());
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
      Separation separation = Separation.of(DeclaredOptions.value(spec, BENCH_SEPARATION));
      boolean peers = "all".equals(DeclaredOptions.value(spec, BENCH_PEERS));
      SparkSession session = spark.session("lvm bench gmm");
      MixtureBenchmark.Report r =
          MixtureBenchmark.run(session, rows, dims, k, iterations, seed, separation, peers);
      PrintWriter out = spec.commandLine().getOut();
      print(out, r, session.sparkContext().master());
      CommandOutput.print(out, r.json(CommandOutput.result("bench gmm")));
      return 0;
    }

    static void print(PrintWriter out, MixtureBenchmark.Report r, String master) {
      out.printf("gmm benchmark: rows=%d dims=%d k=%d iterations=%d separation=%s master=%s"
          + " BLAS=%s%n", r.rows(), r.dims(), r.k(), r.iterations(), r.separation(), master,
          r.blas());
      out.printf("%-22s %14s %20s%n", "", "s/iteration", "mean log-likelihood");
      if (Double.isNaN(r.mllibSecondsPerIteration())) {
        out.printf("%-22s %14s %20s   (--peers none)%n", "Spark MLlib", "-", "-");
      } else {
        out.printf("%-22s %14.3f %20.6f   (median iteration)%n", "Spark MLlib",
            r.mllibSecondsPerIteration(), r.mllibMeanLogLikelihood());
      }
      if (r.sklearnMissing() == null) {
        out.printf("%-22s %14.3f %20.6f   (mean of iterations 2..N; %d BLAS threads: %s)%n",
            "scikit-learn " + r.sklearnVersion(), r.sklearnSecondsPerIteration(),
            r.sklearnMeanLogLikelihood(), r.threads(), blasLine(r));
      } else {
        out.printf("%-22s %14s %20s   (%s)%n", "scikit-learn", "-", "-", r.sklearnMissing());
      }
      out.printf("%-22s %14.3f %20.6f   (median iteration)%n", "spark-lvm",
          r.oursSecondsPerIteration(), r.oursMeanLogLikelihood());
      out.printf("speed-up: MLlib / spark-lvm %.1fx; scikit-learn / spark-lvm %s%n", r.speedup(),
          r.sklearnMissing() == null ? String.format("%.2fx", r.sklearnSpeedup()) : "-");
      out.printf("spark-lvm: %.2f GFLOP/s performed; %.2f GFLOP/s counted as unpruned"
          + " (4 N k d^2 = %.2f GFLOP/iteration); BLAS dgemm, %d threads at once: %.2f GFLOP/s%n",
          r.gflops(), r.unprunedGflops(),
          MixtureBenchmark.Report.unprunedFlopsPerIteration(r.rows(), r.k(), r.dims()) / 1e9,
          r.threads(), r.dgemmGflops());
      out.printf("cached blocks: %.1f MB in memory, %.1f MB on disk (raw doubles %.1f MB)%n",
          r.cachedMemoryBytes() / 1e6, r.cachedDiskBytes() / 1e6,
          8.0 * r.rows() * r.dims() / 1e6);
      out.flush();
    }

    private static String blasLine(MixtureBenchmark.Report r) {
      if (r.sklearnBlas() == null || r.sklearnBlas().isNull() || r.sklearnBlas().isEmpty()) {
        return "threadpoolctl absent, OMP/OPENBLAS_NUM_THREADS set";
      }
      StringBuilder b = new StringBuilder();
      // threadpoolctl also lists OpenMP's pool; the BLAS is what the comparison needs.
      r.sklearnBlas().forEach(p -> {
        if (!"blas".equals(p.path("user_api").asText())) {
          return;
        }
        b.append(b.length() == 0 ? "" : ", ")
          .append(p.path("internal_api").asText()).append(' ')
          .append(p.path("version").asText()).append(" x").append(p.path("num_threads").asInt());
      });
      return b.toString();
    }
  }
}
