package org.sparklvm.jobs.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.settings.Setting;
import org.sparklvm.core.vae.VaeSettings;
import org.sparklvm.jobs.bench.PythonPeer;
import org.sparklvm.jobs.bench.VaeBenchmark;
import org.sparklvm.jobs.data.DataReader;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.InputSpec;
import org.sparklvm.jobs.vae.VaeFitJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lvm bench vae}: VAE training, ours against a PyTorch twin on the same rows. */
@Command(name = "vae", mixinStandardHelpOptions = true,
    modelTransformer = VaeBenchCommand.Declared.class,
    description = "VAE training: spark-lvm (dl4j-spark parameter averaging) and a PyTorch twin (when"
        + " python3 has torch) of the same network, optimiser, total minibatch and epochs on the same"
        + " rows; training examples per second, held-out ELBO and IWAE(K) per row.")
final class VaeBenchCommand implements Callable<Integer> {

  /** The VAE and its training as {@code vae fit} declares them, and the generated data. */
  static final class Declared extends DeclaredOptions {
    Declared() {
      super(settings(), Set.of());
    }

    private static List<Setting<?>> settings() {
      List<Setting<?>> all = new ArrayList<>(VaeSettings.DECLARED);
      all.addAll(List.of(VaeBenchmark.ROWS, VaeBenchmark.DIMS, VaeBenchmark.HELD_OUT_ROWS));
      return all;
    }
  }

  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;

  @Option(names = "--input",
      description = "Real rows instead of generated ones (any Hadoop path; e.g. an IDX file)")
  String input;

  @Option(names = "--format", description = "parquet, csv, libsvm, orc or idx; default: from the path")
  String format;

  @Option(names = "--features-col", description = "A vector column of features")
  String featuresCol;

  @Option(names = "--feature-cols", split = ",", description = "Numeric feature columns, a,b,c")
  List<String> featureCols;

  @Option(names = "--python",
      description = "The twin's interpreter (default: LVM_PYTHON, else python3 on the PATH)")
  String python;

  @Override
  public Integer call() throws Exception {
    VaeSettings settings = VaeSettings.from(DeclaredOptions.of(spec));
    InputSpec in = input == null ? null
        : new InputSpec(input, format, featuresCol, featureCols, null);
    SparkSession session = spark.session("lvm bench vae");
    Dataset<Row> table = in == null
        ? VaeBenchmark.generated(session, DeclaredOptions.value(spec, VaeBenchmark.ROWS),
            DeclaredOptions.value(spec, VaeBenchmark.DIMS), settings.likelihood(), settings.seed())
        : limited(DataReader.read(session, in));
    FeatureColumns columns = in == null
        ? FeatureColumns.resolve(table.schema(), "features", List.of(), null)
        : FeatureColumns.resolve(table.schema(), in.featuresCol(), in.featureCols(), null);
    String work = Files.createTempDirectory("lvm-bench-vae-work").toUri().toString();
    VaeBenchmark.Report r;
    try {
      r = VaeBenchmark.run(session, table, columns, settings,
          DeclaredOptions.value(spec, VaeBenchmark.HELD_OUT_ROWS),
          python != null ? python : PythonPeer.defaultPython(), work);
    } finally {
      VaeFitJob.removeWorkDirectory(session, work);
    }
    PrintWriter out = spec.commandLine().getOut();
    print(out, r, session.sparkContext().master(), in == null ? "generated" : in.path());
    CommandOutput.print(out, r.json(CommandOutput.result("bench vae")));
    return 0;
  }

  /** The input's first {@code --rows} rows when the option is given, else all of them. */
  private Dataset<Row> limited(Dataset<Row> table) {
    Long rows = DeclaredOptions.given(spec, VaeBenchmark.ROWS);
    return rows == null ? table : table.limit((int) Math.min(Integer.MAX_VALUE, rows));
  }

  static void print(PrintWriter out, VaeBenchmark.Report r, String master, String data) {
    out.printf("vae benchmark: %s, %d training rows, %d held-out rows (%s), %d epochs, master=%s:"
        + " %d workers x %d rows per step, averaging every %d; IWAE K=%d%n", r.network(),
        r.trainRows(), r.heldOutRows(), data, r.epochs(), master, r.workers(),
        r.batchSizePerWorker(), r.averagingFrequency(), r.importanceSamples());
    out.printf("%-26s %12s %16s %16s %16s%n", "", "examples/s", "examples/CPU-s", "held-out ELBO",
        "held-out IWAE");
    out.printf("%-26s %12.0f %16.0f %16.4f %16.4f%n", "spark-lvm (dl4j-spark)",
        r.examplesPerSecond(), r.examplesPerCpuSecond(), r.heldOutElbo(), r.heldOutIwae());
    if (r.twinMissing() == null) {
      out.printf("%-26s %12.0f %16.0f %16.4f %16.4f   (%d threads, batch %d)%n",
          "PyTorch " + r.twinVersion(), r.twinExamplesPerSecond(), r.twinExamplesPerCpuSecond(),
          r.twinHeldOutElbo(), r.twinHeldOutIwae(), r.workers(),
          r.workers() * r.batchSizePerWorker());
      out.printf("ratio spark-lvm / PyTorch: %.2fx examples/s, %.2fx examples/CPU-s; IWAE"
          + " difference %+.4f nats/row%n", r.ratio(), r.cpuRatio(),
          r.heldOutIwae() - r.twinHeldOutIwae());
    } else {
      out.printf("%-26s %12s %16s %16s %16s   (%s)%n", "PyTorch", "-", "-", "-", "-",
          r.twinMissing());
    }
    out.flush();
  }
}
