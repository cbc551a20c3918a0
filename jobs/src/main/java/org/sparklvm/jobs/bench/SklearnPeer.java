package org.sparklvm.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.model.ModelMetadata;

/**
 * scikit-learn's {@code GaussianMixture} as a peer: {@code deploy/bench/gmm_sklearn.py} run by an
 * installed python3 on the same rows from the same start. Nothing is ever installed: without
 * python3 or scikit-learn the outcome says why and the bench goes on without it.
 */
final class SklearnPeer {

  /** The interpreter: {@code LVM_PYTHON} when set, else {@code python3} on the PATH. */
  static String defaultPython() {
    String p = System.getenv("LVM_PYTHON");
    return p == null || p.isBlank() ? "python3" : p;
  }

  /** What the script measured, or why it did not run ({@code missing} non-null). */
  record Outcome(double secondsPerIteration, double meanLogLikelihood, String version,
      JsonNode blas, String missing) {

    static Outcome absent(String why) {
      return new Outcome(Double.NaN, Double.NaN, null, null, why);
    }

    boolean present() {
      return missing == null;
    }
  }

  private SklearnPeer() {}

  /**
   * Runs the script on {@code table}'s vector column {@code features}, {@code iterations} EM
   * iterations from {@code start} with {@code threads} BLAS threads.
   *
   * @throws IllegalStateException when scikit-learn is there but the script fails
   */
  static Outcome run(String python, Dataset<Row> table, GaussianMixtureModel start,
      double regCovar, int iterations, int threads) {
    String which = python + " -c 'import sklearn'";
    try {
      if (exec(List.of(python, "-c", "import sklearn"), Map.of()).code != 0) {
        return Outcome.absent("scikit-learn not found: " + which + " failed");
      }
    } catch (IOException e) {
      return Outcome.absent("scikit-learn not found: " + which + " failed (" + e.getMessage()
          + ")");
    }
    Path script = script();
    if (script == null) {
      return Outcome.absent("deploy/bench/gmm_sklearn.py not found above the classes' folder");
    }
    Path folder = null;
    try {
      folder = Files.createTempDirectory("lvm-bench-sklearn");
      long rows = writeRows(table, folder.resolve("rows.f64"));
      Files.writeString(folder.resolve("start.json"), startJson(start, rows, regCovar));
      String n = Integer.toString(threads);
      // Read when threadpoolctl is absent; deploy/bin/lvm exports OPENBLAS_NUM_THREADS=1 otherwise.
      Map<String, String> env = Map.of("OMP_NUM_THREADS", n, "OPENBLAS_NUM_THREADS", n,
          "MKL_NUM_THREADS", n);
      Result r = exec(List.of(python, script.toString(), folder.toString(),
          Integer.toString(iterations), n), env);
      if (r.code != 0) {
        throw new IllegalStateException(script + " failed (exit " + r.code + "): " + r.output);
      }
      String[] lines = r.output.strip().split("\n");
      JsonNode j = ModelMetadata.JSON.readTree(lines[lines.length - 1]);
      return new Outcome(j.get("secondsPerIteration").asDouble(),
          j.get("meanLogLikelihood").asDouble(), j.get("version").asText(),
          j.get("blas"), null);
    } catch (IOException e) {
      throw new IllegalStateException("scikit-learn peer: " + e.getMessage(), e);
    } finally {
      delete(folder);
    }
  }

  private record Result(int code, String output) {}

  private static Result exec(List<String> command, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroy();
      throw new IOException("interrupted", e);
    }
    return new Result(p.exitValue(), out);
  }

  /** The script, found in the checkout above the jar or classes folder this class came from. */
  static Path script() {
    try {
      Path here = Path.of(SklearnPeer.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      for (Path p = here; p != null; p = p.getParent()) {
        Path s = p.resolve("deploy/bench/gmm_sklearn.py");
        if (Files.isRegularFile(s)) {
          return s;
        }
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // fall through: no code source to start from
    }
    Path s = Path.of("deploy/bench/gmm_sklearn.py");
    return Files.isRegularFile(s) ? s.toAbsolutePath() : null;
  }

  /** The rows as little-endian doubles, row-major, for numpy's {@code fromfile}. */
  private static long writeRows(Dataset<Row> table, Path file) throws IOException {
    long rows = 0;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      Iterator<Row> it = table.toLocalIterator();
      ByteBuffer buf = null;
      while (it.hasNext()) {
        double[] x = ((Vector) it.next().get(0)).toArray();
        if (buf == null) {
          buf = ByteBuffer.allocate(8 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        }
        buf.clear();
        buf.asDoubleBuffer().put(x);
        out.write(buf.array());
        rows++;
      }
    }
    return rows;
  }

  private static String startJson(GaussianMixtureModel m, long rows, double regCovar)
      throws IOException {
    List<double[]> means = new ArrayList<>();
    List<double[]> covs = new ArrayList<>();
    for (int c = 0; c < m.k(); c++) {
      means.add(m.mean(c));
      covs.add(m.covariance(c));
    }
    return ModelMetadata.JSON.writeValueAsString(Map.of("rows", rows, "dims", m.dim(), "k", m.k(),
        "regCovar", regCovar, "weights", m.weights(), "means", means, "covariances", covs));
  }

  private static void delete(Path folder) {
    if (folder == null) {
      return;
    }
    try (Stream<Path> s = Files.walk(folder)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }
}
