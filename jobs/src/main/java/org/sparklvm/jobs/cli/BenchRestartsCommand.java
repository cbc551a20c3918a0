package org.sparklvm.jobs.cli;

import static org.sparklvm.core.settings.TaskSettings.BENCH_DIMS;
import static org.sparklvm.core.settings.TaskSettings.BENCH_K;
import static org.sparklvm.core.settings.TaskSettings.BENCH_ROWS;
import static org.sparklvm.core.settings.TaskSettings.BENCH_SEED;
import static org.sparklvm.core.settings.TaskSettings.BENCH_SEPARATION;

import java.io.PrintWriter;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.bench.MixtureBenchmark;
import org.sparklvm.jobs.bench.MixtureBenchmark.Separation;
import org.sparklvm.jobs.bench.RestartBenchmark;
import org.sparklvm.jobs.data.DataReader;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.InputSpec;
import org.sparklvm.jobs.gmm.MixtureSampleJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lvm bench restarts}: {@code --n-init R} as one fit, R separate fits and R shared runs, on the
 * bench's planted data or on a table ({@code --input}, every column a feature).
 */
@Command(name = "restarts", mixinStandardHelpOptions = true,
    modelTransformer = BenchRestartsCommand.Declared.class,
    description = "--n-init R: one fit, R separate fits, R runs sharing passes (losers dropped);"
        + " seconds, best mean log-likelihood, and whether dropping lost the winner.")
final class BenchRestartsCommand implements Callable<Integer> {

  /** The planted data (or --input) and the fit's settings. */
  static final class Declared extends DeclaredOptions {
    Declared() {
      super(List.of(BENCH_ROWS, BENCH_DIMS, BENCH_K, BENCH_SEED, BENCH_SEPARATION,
          EmSettings.COVARIANCE, EmSettings.MAX_ITER, EmSettings.TOL, EmSettings.REG_COVAR,
          EmSettings.N_INIT, EmSettings.DROP_RESTARTS_AFTER), Set.of(EmSettings.N_INIT));
    }
  }

  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;

  @Option(names = "--input", description = "A table to fit instead of planted data (CSV with a"
      + " header, Parquet, ...; every column a feature)")
  String input;

  @Override
  public Integer call() {
    int restarts = DeclaredOptions.value(spec, EmSettings.N_INIT);
    if (restarts < 2) {
      throw new UserInputException("bench restarts compares restarts: --n-init must be at least 2,"
          + " got " + restarts);
    }
    int k = DeclaredOptions.value(spec, BENCH_K);
    long seed = DeclaredOptions.value(spec, BENCH_SEED);
    EmSettings settings = new EmSettings(k,
        CovarianceType.fromId(DeclaredOptions.value(spec, EmSettings.COVARIANCE)),
        DeclaredOptions.value(spec, EmSettings.MAX_ITER), DeclaredOptions.value(spec, EmSettings.TOL),
        DeclaredOptions.value(spec, EmSettings.REG_COVAR),
        EmSettings.Initialization.KMEANS_PLUS_PLUS, restarts,
        DeclaredOptions.value(spec, EmSettings.DROP_RESTARTS_AFTER), seed);
    SparkSession session = spark.session("lvm bench restarts");
    Dataset<Row> table;
    FeatureColumns columns;
    String name;
    if (input != null) {
      InputSpec in = new InputSpec(input, null, null, List.of(), null);
      table = DataReader.read(session, in);
      columns = FeatureColumns.resolve(table.schema(), null, List.of(), null);
      name = input;
    } else {
      Separation separation = Separation.of(DeclaredOptions.value(spec, BENCH_SEPARATION));
      int dims = DeclaredOptions.value(spec, BENCH_DIMS);
      Random random = new Random(seed);
      GaussianMixtureModel planted = separation == Separation.OVERLAPPING
          ? MixtureBenchmark.overlappingMixture(k, dims, random)
          : MixtureBenchmark.plantedMixture(k, dims, random);
      table = MixtureSampleJob.sample(session, planted, DeclaredOptions.value(spec, BENCH_ROWS),
          seed, session.sparkContext().defaultParallelism(), "features", List.of())
          .persist(StorageLevel.MEMORY_AND_DISK());
      columns = FeatureColumns.resolve(table.schema(), "features", List.of(), null);
      name = separation.id();
    }
    RestartBenchmark.Report r = RestartBenchmark.run(session, table, columns, settings, name);
    PrintWriter out = spec.commandLine().getOut();
    print(out, r, session.sparkContext().master());
    CommandOutput.print(out, r.json(CommandOutput.result("bench restarts")));
    return 0;
  }

  static void print(PrintWriter out, RestartBenchmark.Report r, String master) {
    out.printf("restart benchmark: data=%s rows=%d dims=%d k=%d covariance=%s n-init=%d master=%s"
        + " BLAS=%s%n", r.data(), r.rows(), r.dims(), r.k(), r.covariance(), r.restarts(), master,
        r.blas());
    out.printf("%-12s %10s %10s %12s %11s %20s%n", "", "seconds", "(of init)", "CPU seconds",
        "iterations", "best mean logL");
    out.printf("%-12s %10.2f %10.2f %12.2f %11d %20.6f%n", "1 fit", r.oneSeconds(),
        r.oneInitSeconds(), r.oneCpuSeconds(), r.oneIterations(), r.oneMeanLogLikelihood());
    out.printf("%-12s %10.2f %10.2f %12.2f %11d %20.6f%n", r.restarts() + " separate",
        r.separateSeconds(), r.separateInitSeconds(), r.separateCpuSeconds(),
        r.separateIterations(), r.separateMeanLogLikelihood());
    out.printf("%-12s %10.2f %10.2f %12.2f %11d %20.6f%n", r.restarts() + " shared",
        r.sharedSeconds(), r.sharedInitSeconds(), r.sharedCpuSeconds(), r.sharedIterations(),
        r.sharedMeanLogLikelihood());
    out.printf("shared / 1 fit %.2fx (CPU %.2fx), separate / 1 fit %.2fx (CPU %.2fx); replay"
        + " without dropping: dropped at %s, winner dropped: %s%n", r.sharedOverOne(),
        r.sharedOverOneCpu(), r.separateOverOne(), r.separateOverOneCpu(),
        java.util.Arrays.toString(r.dropIterations()), r.winnerDropped());
    out.flush();
  }
}
