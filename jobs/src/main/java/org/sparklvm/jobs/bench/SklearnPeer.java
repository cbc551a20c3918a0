package org.sparklvm.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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

  private static final String SCRIPT = "gmm_sklearn.py";

  private SklearnPeer() {}

  /**
   * Runs the script on {@code table}'s vector column {@code features}, {@code iterations} EM
   * iterations from {@code start} with {@code threads} BLAS threads.
   *
   * @throws IllegalStateException when scikit-learn is there but the script fails
   */
  static Outcome run(String python, Dataset<Row> table, GaussianMixtureModel start,
      double regCovar, int iterations, int threads) {
    String missing = PythonPeer.missing(python, "sklearn", "scikit-learn", SCRIPT);
    if (missing != null) {
      return Outcome.absent(missing);
    }
    Path folder = null;
    try {
      folder = Files.createTempDirectory("lvm-bench-sklearn");
      long rows = writeRows(table, folder.resolve("rows.f64"));
      Files.writeString(folder.resolve("start.json"), startJson(start, rows, regCovar));
      JsonNode j = PythonPeer.run(python, SCRIPT, List.of(folder.toString(),
          Integer.toString(iterations), Integer.toString(threads)), threads);
      return new Outcome(j.get("secondsPerIteration").asDouble(),
          j.get("meanLogLikelihood").asDouble(), j.get("version").asText(),
          j.get("blas"), null);
    } catch (IOException e) {
      throw new IllegalStateException("scikit-learn peer: " + e.getMessage(), e);
    } finally {
      PythonPeer.delete(folder);
    }
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
}
