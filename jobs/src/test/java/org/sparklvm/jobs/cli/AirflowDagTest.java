package org.sparklvm.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.jobs.SparkTests;

/**
 * The Airflow DAG ({@code deploy/airflow/lvm_pipeline.py}) against the real command line: its TASKS
 * block is rendered as Airflow would (params, {@code ds} and {@code macros.ds_add(ds, n)}) and every
 * task runs through {@link Lvm}
 * in dependency order, first with {@code --dry-run}, then for real so that the next task finds its
 * inputs. Airflow itself is not installed here and is not run; where Python is, the DAG file is also
 * executed against stand-in Airflow modules to check that it builds one SparkSubmitOperator per task
 * with exactly those arguments and dependencies.
 */
class AirflowDagTest {

  private static final Path DAG =
      Path.of("").toAbsolutePath().getParent().resolve("deploy/airflow/lvm_pipeline.py");
  private static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*([^}]*?)\\s*}}");
  /** Airflow's {@code macros.ds_add(ds, days)}: the run date moved by a number of days. */
  private static final Pattern DS_ADD =
      Pattern.compile("macros\\.ds_add\\(\\s*ds\\s*,\\s*(-?\\d+)\\s*\\)");

  @TempDir static Path dir;
  static JsonNode tasks;

  @BeforeAll
  static void readTasks() throws Exception {
    String text = Files.readString(DAG);
    int begin = text.indexOf("# lvm-tasks: begin");
    int end = text.indexOf("# lvm-tasks: end");
    assertTrue(begin >= 0 && end > begin, "no lvm-tasks block in " + DAG);
    String block = text.substring(begin, end);
    tasks = new ObjectMapper().readTree(block.substring(block.indexOf('{')));
  }

  @Test
  void everyTaskRunsThroughTheRealCommandLine() throws Exception {
    String ds = "2026-11-21";
    Map<String, String> params = Map.ofEntries(
        Map.entry("data", "file://" + dir.resolve("data")),
        Map.entry("models", "file://" + dir.resolve("models")),
        Map.entry("scores", "file://" + dir.resolve("scores")),
        Map.entry("features", "x0,x1,x2"), Map.entry("k", "3"), Map.entry("k_range", "2..3"),
        Map.entry("vae_latent_dim", "2"), Map.entry("vae_layers", "8"), Map.entry("vae_epochs", "1"),
        Map.entry("importance_samples", "20"), Map.entry("anomaly_quantile", "0.01"));
    Path day = dir.resolve("data").resolve(ds);
    SparkTests.columns(SparkTests.planted(), 3000, 1).write().parquet(day + "/train.parquet");
    SparkTests.columns(SparkTests.planted(), 500, 2).write().parquet(day + "/new.parquet");

    List<String> order = topologicalOrder();
    assertEquals(Set.of("fit_mixture", "select_k", "train_vae", "score_mixture", "score_vae"),
        new LinkedHashSet<>(order));
    for (String name : order) {
      List<String> args = render(tasks.get(name).get("args"), params, ds);
      List<String> dry = new ArrayList<>(args);
      dry.add("--dry-run");
      Cli checked = Cli.run(dry.toArray(new String[0]));
      assertEquals(0, checked.exitCode(), name + " --dry-run: " + checked.err());
      assertEquals("dry-run", new ObjectMapper().readTree(checked.lastLine()).get("status").asText());
      Cli ran = Cli.run(args.toArray(new String[0]));
      assertEquals(0, ran.exitCode(), name + ": " + ran.err());
      if (name.equals("fit_mixture")) {
        // No model of the day before: a cold start.
        assertEquals("cold", new ObjectMapper().readTree(ran.lastLine()).get("start").asText());
      }
    }
    assertTrue(Files.exists(dir.resolve("scores").resolve(ds).resolve("vae")));
    assertTrue(Files.exists(dir.resolve("scores").resolve(ds).resolve("gmm")));
  }

  /**
   * fit_mixture on two consecutive days: the first a cold start (no model of the day before), the
   * second a warm start from the first day's model, as the rendered {@code macros.ds_add(ds, -1)}
   * path says.
   */
  @Test
  void fitMixtureStartsFromThePreviousDaysModel() throws Exception {
    Path root = dir.resolve("warm");
    Map<String, String> params = Map.of("data", "file://" + root.resolve("data"),
        "models", "file://" + root.resolve("models"), "features", "x0,x1,x2", "k", "3");
    List<String> days = List.of("2026-11-22", "2026-11-23");
    for (int i = 0; i < days.size(); i++) {
      SparkTests.columns(SparkTests.planted(), 3000, 10 + i).write()
          .parquet(root.resolve("data").resolve(days.get(i)) + "/train.parquet");
    }
    List<String> starts = new ArrayList<>();
    for (String ds : days) {
      List<String> args = render(tasks.get("fit_mixture").get("args"), params, ds);
      List<String> dry = new ArrayList<>(args);
      dry.add("--dry-run");
      assertEquals(0, Cli.run(dry.toArray(new String[0])).exitCode(), "fit_mixture --dry-run");
      Cli ran = Cli.run(args.toArray(new String[0]));
      assertEquals(0, ran.exitCode(), ds + ": " + ran.err());
      JsonNode result = new ObjectMapper().readTree(ran.lastLine());
      starts.add(result.get("start").asText());
      if (result.has("initModel")) {
        assertEquals(params.get("models") + "/2026-11-22/gmm", result.get("initModel").asText());
      }
    }
    assertEquals(List.of("cold", "warm"), starts);
  }

  /** The DAG declares every param its tasks use. */
  @Test
  void everyParamTheTasksUseIsDeclared() throws Exception {
    String text = Files.readString(DAG);
    Matcher m = TEMPLATE.matcher(tasks.toString());
    while (m.find()) {
      String expr = m.group(1);
      if (expr.startsWith("params.")) {
        String name = expr.substring("params.".length());
        assertTrue(text.contains("\"" + name + "\": Param("), "param '" + name + "' not declared");
      } else if (!DS_ADD.matcher(expr).matches()) {
        assertEquals("ds", expr, "a template this test does not render");
      }
    }
  }

  /** Runs the DAG file against stand-in Airflow modules (Python 3 only, no Airflow). */
  @Test
  void theDagBuildsOneSparkSubmitPerTask() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 not installed");
    Path stub = dir.resolve("stub");
    write(stub.resolve("airflow/__init__.py"), """
        class DAG:
            def __init__(self, dag_id, **kwargs):
                self.dag_id = dag_id
            def __enter__(self):
                return self
            def __exit__(self, *exc):
                return False
        """);
    write(stub.resolve("airflow/models/__init__.py"), "");
    write(stub.resolve("airflow/models/param.py"), """
        class Param:
            def __init__(self, default, **schema):
                self.default = default
        """);
    for (String pkg : List.of("providers", "providers/apache", "providers/apache/spark",
        "providers/apache/spark/operators")) {
      write(stub.resolve("airflow/" + pkg + "/__init__.py"), "");
    }
    write(stub.resolve("airflow/providers/apache/spark/operators/spark_submit.py"), """
        BUILT = {}
        class SparkSubmitOperator:
            def __init__(self, task_id, **kwargs):
                self.task_id = task_id
                self.kwargs = kwargs
                self.upstream = []
                BUILT[task_id] = self
            def __rshift__(self, other):
                other.upstream.append(self.task_id)
                return other
        """);
    write(stub.resolve("run.py"), """
        import json, runpy, sys
        from airflow.providers.apache.spark.operators import spark_submit
        runpy.run_path(sys.argv[1])
        print(json.dumps({name: {"java_class": op.kwargs["java_class"],
                                 "args": op.kwargs["application_args"],
                                 "upstream": sorted(op.upstream)}
                          for name, op in spark_submit.BUILT.items()}))
        """);
    Process p = new ProcessBuilder("/usr/bin/python3", stub.resolve("run.py").toString(),
        DAG.toString()).directory(stub.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    JsonNode built = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
    assertEquals(tasks.size(), built.size());
    tasks.fields().forEachRemaining(t -> {
      JsonNode op = built.get(t.getKey());
      assertEquals(Lvm.class.getName(), op.get("java_class").asText());
      assertEquals(t.getValue().get("args"), op.get("args"), t.getKey());
      List<String> upstream = new ArrayList<>();
      t.getValue().get("upstream").forEach(u -> upstream.add(u.asText()));
      upstream.sort(null);
      List<String> wired = new ArrayList<>();
      op.get("upstream").forEach(u -> wired.add(u.asText()));
      assertEquals(upstream, wired, t.getKey());
    });
  }

  private static void write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static List<String> topologicalOrder() {
    List<String> order = new ArrayList<>();
    while (order.size() < tasks.size()) {
      int before = order.size();
      tasks.fields().forEachRemaining(t -> {
        boolean ready = true;
        for (JsonNode u : t.getValue().get("upstream")) {
          ready &= order.contains(u.asText());
        }
        if (ready && !order.contains(t.getKey())) {
          order.add(t.getKey());
        }
      });
      assertTrue(order.size() > before, "the DAG's dependencies have a cycle or a missing task");
    }
    return order;
  }

  /**
   * Airflow's rendering of {@code {{ params.x }}}, {@code {{ ds }}} and {@code {{ macros.ds_add(ds,
   * n) }}}.
   */
  private static List<String> render(JsonNode args, Map<String, String> params, String ds) {
    List<String> out = new ArrayList<>();
    for (JsonNode a : args) {
      Matcher m = TEMPLATE.matcher(a.asText());
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        String expr = m.group(1);
        Matcher shift = DS_ADD.matcher(expr);
        String value = expr.equals("ds") ? ds
            : shift.matches()
                ? LocalDate.parse(ds).plusDays(Long.parseLong(shift.group(1))).toString()
            : params.get(expr.replaceFirst("^params\\.", ""));
        assertTrue(value != null, "no value for {{ " + expr + " }}");
        m.appendReplacement(sb, Matcher.quoteReplacement(value));
      }
      m.appendTail(sb);
      assertFalse(sb.toString().contains("{{"), sb.toString());
      out.add(sb.toString());
    }
    return out;
  }
}
