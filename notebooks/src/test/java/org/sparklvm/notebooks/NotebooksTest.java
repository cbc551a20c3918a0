package org.sparklvm.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.Results;

/**
 * Runs each Zeppelin note's paragraphs in order, as Zeppelin's Spark interpreter would: {@code %spark}
 * through Spark's own Scala interpreter ({@code org.apache.spark.repl.SparkILoop}) with {@code spark}
 * and a stand-in {@code z} bound, {@code %spark.sql} through {@code spark.sql}, {@code %md} skipped.
 * A paragraph that does not compile or throws fails the test. Zeppelin itself is not run.
 */
class NotebooksTest {

  private static final Path NOTES = Path.of("").toAbsolutePath();

  @TempDir static Path dir;
  static SparkSession spark;

  /** Rows of three well-separated Gaussians (weights 0.5, 0.3, 0.2) as columns x0, x1, x2. */
  @BeforeAll
  static void data() {
    spark = SparkSession.builder().master("local[2]").appName("spark-lvm notebooks")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
    GaussianMixtureModel planted = new GaussianMixtureModel(CovarianceType.FULL,
        new double[] {0.5, 0.3, 0.2}, new double[][] {{0, 0, 0}, {6, 6, 0}, {-6, 4, 5}},
        new double[][] {{1, 0.5, 0, 0.5, 1.5, 0.2, 0, 0.2, 0.7},
            {2, 0.5, 0.1, 0.5, 1.5, 0.2, 0.1, 0.2, 1}, {3, 0.5, 0.2, 0.5, 1.5, 0.2, 0.2, 0.2, 1.3}});
    write(planted, 3000, 1, "train");
    write(planted, 500, 2, "new");
  }

  private static void write(GaussianMixtureModel model, int n, long seed, String name) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    double[] x = new double[3];
    for (int i = 0; i < n; i++) {
      model.sample(random, x);
      rows.add(RowFactory.create(x[0], x[1], x[2]));
    }
    StructType schema = new StructType().add("x0", DataTypes.DoubleType, false)
        .add("x1", DataTypes.DoubleType, false).add("x2", DataTypes.DoubleType, false);
    spark.createDataFrame(rows, schema).repartition(2).write().parquet(dir.resolve(name).toString());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Map<String, String> forms(String model) {
    return Map.of("data", dir.resolve("train").toString(), "new", dir.resolve("new").toString(),
        "model", dir.resolve(model).toString(), "features", "x0,x1,x2", "max_k", "4",
        "epochs", "3", "train", "yes", "K", "20");
  }

  @Test
  void gaussianMixturesNoteRuns() throws Exception {
    try (Note note = Note.run(NOTES.resolve("gaussian-mixtures.zpln"), spark, forms("gmm"))) {
      // The planted mixture has three components: BIC picks them.
      assertEquals(3, note.value("best.mixture.k"));
      assertTrue(note.output().contains("%html <div><img"), "no pictures shown");
      assertTrue(note.z().shown().size() >= 4, "tables shown: " + note.z().shown().size());
    }
  }

  @Test
  void variationalAutoencodersNoteRuns() throws Exception {
    try (Note note = Note.run(NOTES.resolve("variational-autoencoders.zpln"), spark,
        forms("vae"))) {
      assertEquals(3, note.value("elbo.count().toInt"));
      assertTrue(note.output().contains("%html <div><img"), "no pictures shown");
      assertTrue(Files.exists(dir.resolve("vae").resolve("plots").resolve("latent.png")));
    }
  }

  /** A note run through the interpreter, kept for questions about its state. */
  private record Note(IMain interpreter, StringWriter out, StandInZeppelinContext z)
      implements AutoCloseable {

    static Note run(Path file, SparkSession spark, Map<String, String> forms) throws Exception {
      JsonNode paragraphs = new ObjectMapper().readTree(file.toFile()).get("paragraphs");
      assertTrue(paragraphs.size() > 5, file + " has " + paragraphs.size() + " paragraphs");
      StringWriter out = new StringWriter();
      Settings settings = new Settings();
      settings.processArgumentString("-usejavacp -Yrepl-class-based -Yrepl-outdir "
          + Files.createTempDirectory(dir, "repl"));
      org.apache.spark.repl.SparkILoop loop =
          new org.apache.spark.repl.SparkILoop(scala.Option.empty(), new java.io.PrintWriter(out, true));
      loop.settings_$eq(settings);
      loop.createInterpreter();
      IMain intp = loop.intp();
      intp.initializeSynchronous();
      StandInZeppelinContext z = new StandInZeppelinContext(forms);
      bind(intp, "spark", SparkSession.class.getName(), spark);
      bind(intp, "z", StandInZeppelinContext.class.getName(), z);
      Note note = new Note(intp, out, z);
      for (JsonNode p : paragraphs) {
        String text = p.get("text").asText();
        String kind = text.lines().findFirst().orElse("").trim();
        String body = text.substring(text.indexOf('\n') + 1);
        switch (kind) {
          case "%md" -> assertFalse(body.isBlank(), "an empty %md paragraph");
          case "%spark.sql" -> spark.sql(body).collectAsList();
          case "%spark" -> note.interpret(body);
          default -> throw new AssertionError("a paragraph for interpreter " + kind);
        }
      }
      return note;
    }

    private static void bind(IMain intp, String name, String type, Object value) {
      Results.Result r = intp.bind(name, type, value, scala.collection.immutable.List$.MODULE$.empty());
      assertEquals("Success", r.toString(), "binding " + name);
    }

    void interpret(String code) {
      int before = out.getBuffer().length();
      // What a paragraph prints goes through Scala's Console, which Zeppelin captures as output.
      java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
      Results.Result r = scala.Console$.MODULE$.withOut(console,
          () -> interpreter.interpret(code));
      out.write(console.toString(java.nio.charset.StandardCharsets.UTF_8));
      String printed = out.getBuffer().substring(before);
      assertEquals("Success", r.toString(), "paragraph failed:\n" + code + "\n---\n" + printed);
      // A paragraph that throws prints the exception and still returns Success in some versions.
      assertFalse(printed.contains("Exception") && printed.contains("\tat "),
          "paragraph threw:\n" + code + "\n---\n" + printed);
    }

    Object value(String expression) {
      interpret("val lvmTestValue = " + expression);
      return interpreter.valueOfTerm("lvmTestValue").get();
    }

    String output() {
      return out.toString();
    }

    @Override
    public void close() {
      interpreter.close();
    }
  }
}
