package org.sparklvm.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.sparklvm.core.model.ModelMetadata;

/**
 * A peer implementation in Python, run by an installed interpreter as a script of {@code
 * deploy/bench/}: finding the interpreter, checking that it has the peer's package, running the
 * script with a thread count and reading its one-line JSON answer. Nothing is ever installed.
 */
public final class PythonPeer {

  private PythonPeer() {}

  /** The interpreter: {@code LVM_PYTHON} when set, else {@code python3} on the PATH. */
  public static String defaultPython() {
    String p = System.getenv("LVM_PYTHON");
    return p == null || p.isBlank() ? "python3" : p;
  }

  /**
   * Why {@code python} cannot run the peer, or null when it can: the interpreter must import {@code
   * module} and the script must be found.
   *
   * @param label how the package is named to the user (e.g. {@code scikit-learn})
   */
  static String missing(String python, String module, String label, String script) {
    String which = python + " -c 'import " + module + "'";
    try {
      if (exec(List.of(python, "-c", "import " + module), Map.of()).code() != 0) {
        return label + " not found: " + which + " failed";
      }
    } catch (IOException e) {
      return label + " not found: " + which + " failed (" + e.getMessage() + ")";
    }
    return script(script) == null ? "deploy/bench/" + script + " not found above the classes' folder"
        : null;
  }

  /**
   * Runs {@code deploy/bench/<script> args...} with {@code threads} threads for every thread pool
   * the peer may use (OpenMP, OpenBLAS, MKL), and returns the JSON object on its last stdout line.
   *
   * @throws IllegalStateException when the script fails or does not end with a JSON line
   */
  static JsonNode run(String python, String script, List<String> args, int threads) {
    Path file = script(script);
    if (file == null) {
      throw new IllegalStateException("deploy/bench/" + script + " not found");
    }
    List<String> command = new ArrayList<>(List.of(python, file.toString()));
    command.addAll(args);
    String n = Integer.toString(threads);
    // Read when the peer cannot set its pools itself; deploy/bin/lvm exports 1 for our own BLAS.
    Map<String, String> env = Map.of("OMP_NUM_THREADS", n, "OPENBLAS_NUM_THREADS", n,
        "MKL_NUM_THREADS", n);
    try {
      Result r = exec(command, env);
      if (r.code() != 0) {
        throw new IllegalStateException(file + " failed (exit " + r.code() + "): " + r.output());
      }
      String[] lines = r.output().strip().split("\n");
      return ModelMetadata.JSON.readTree(lines[lines.length - 1]);
    } catch (IOException e) {
      throw new IllegalStateException(file + ": " + e.getMessage(), e);
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

  /** {@code deploy/bench/<name>}, found in the checkout above the jar or classes folder. */
  static Path script(String name) {
    String relative = "deploy/bench/" + name;
    try {
      Path here = Path.of(PythonPeer.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      for (Path p = here; p != null; p = p.getParent()) {
        Path s = p.resolve(relative);
        if (Files.isRegularFile(s)) {
          return s;
        }
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // fall through: no code source to start from
    }
    Path s = Path.of(relative);
    return Files.isRegularFile(s) ? s.toAbsolutePath() : null;
  }

  /** Removes a temporary folder the bench wrote for the peer. */
  static void delete(Path folder) {
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
