package org.sparklvm.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.jobs.SparkTests;

/** Every kind of bad input exits with 2, names the problem, and leaves no output behind. */
class BadInputTest {

  @TempDir static Path dir;
  static SparkSession spark;
  static String model;

  @BeforeAll
  static void fitAModel() {
    spark = SparkTests.spark();
    String data = dir.resolve("good.parquet").toString();
    SparkTests.columns(SparkTests.planted(), 2000, 5).write().parquet(data);
    model = dir.resolve("model").toString();
    Cli fit = Cli.run("gmm", "fit", "--input", data, "--feature-cols", "x0,x1,x2", "--k", "3",
        "--output", model);
    assertEquals(0, fit.exitCode(), fit.err());
  }

  private static String numericTable(String name, Object[][] rows) {
    StructType schema = new StructType().add("x0", DataTypes.DoubleType, true)
        .add("x1", DataTypes.DoubleType, true).add("label", DataTypes.StringType, true);
    List<Row> list = new ArrayList<>();
    for (Object[] r : rows) {
      list.add(RowFactory.create(r));
    }
    String path = dir.resolve(name).toString();
    spark.createDataFrame(list, schema).coalesce(1).write().parquet(path);
    return path;
  }

  private static String vectorTable(String name, double[]... rows) {
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType(), false);
    List<Row> list = new ArrayList<>();
    for (double[] r : rows) {
      list.add(RowFactory.create(Vectors.dense(r)));
    }
    String path = dir.resolve(name).toString();
    spark.createDataFrame(list, schema).coalesce(1).write().parquet(path);
    return path;
  }

  /** Runs, expects exit 2 with every fragment in the message and nothing at (or beside) output. */
  static void assertRejected(String output, String[] args, String... fragments)
      throws IOException {
    Cli r = Cli.run(args);
    assertEquals(2, r.exitCode(), "exit code; stderr: " + r.err());
    for (String f : fragments) {
      assertTrue(r.err().contains(f), "message should name '" + f + "': " + r.err());
    }
    assertFalse(Files.exists(Path.of(output)), output + " was left behind");
    try (Stream<Path> siblings = Files.list(Path.of(output).getParent())) {
      assertTrue(siblings.noneMatch(p -> p.getFileName().toString().contains(".tmp-")),
          "a temporary output was left behind");
    }
  }

  private static String out(String name) {
    return dir.resolve("out-" + name).toString();
  }

  private static String[] fit(String input, String output, String... extra) {
    List<String> args = new ArrayList<>(List.of("gmm", "fit", "--input", input, "--k", "2",
        "--output", output));
    args.addAll(List.of(extra));
    return args.toArray(new String[0]);
  }

  @Test
  void nanIsNamedByRowAndColumn() throws IOException {
    String in = numericTable("nan", new Object[][] {{1.0, 2.0, "a"}, {1.5, Double.NaN, "b"},
        {3.0, 1.0, "c"}});
    assertRejected(out("nan"), fit(in, out("nan"), "--feature-cols", "x0,x1"),
        "row 1", "column 'x1'", "NaN");
  }

  @Test
  void nullIsNamed() throws IOException {
    String in = numericTable("null", new Object[][] {{1.0, 2.0, "a"}, {null, 1.0, "b"}});
    assertRejected(out("null"), fit(in, out("null"), "--feature-cols", "x0,x1"),
        "row 1", "column 'x0'", "null");
  }

  @Test
  void infinityInAVectorIsNamed() throws IOException {
    String in = vectorTable("inf", new double[] {1, 2}, new double[] {3, 4},
        new double[] {5, Double.POSITIVE_INFINITY});
    assertRejected(out("inf"), fit(in, out("inf")), "row 2", "Infinity", "position 1");
  }

  @Test
  void vectorsOfDifferentLengthsAreNamed() throws IOException {
    String in = vectorTable("ragged", new double[] {1, 2}, new double[] {3, 4, 5},
        new double[] {6, 7});
    assertRejected(out("ragged"), fit(in, out("ragged")), "row 1", "3 features", "2");
  }

  @Test
  void nonNumericColumnIsNamed() throws IOException {
    String in = numericTable("text", new Object[][] {{1.0, 2.0, "a"}, {2.0, 1.0, "b"}});
    assertRejected(out("text"), fit(in, out("text"), "--feature-cols", "x0,label"),
        "'label'", "not numeric");
    assertRejected(out("text2"), fit(in, out("text2")), "'label'", "--feature-cols");
  }

  @Test
  void missingColumnIsNamed() throws IOException {
    String in = numericTable("missing", new Object[][] {{1.0, 2.0, "a"}, {2.0, 1.0, "b"}});
    assertRejected(out("missing"), fit(in, out("missing"), "--feature-cols", "x0,x7"),
        "'x7'", "missing");
  }

  @Test
  void emptyInputIsRejected() throws IOException {
    String in = numericTable("empty", new Object[][] {});
    assertRejected(out("empty"), fit(in, out("empty"), "--feature-cols", "x0,x1"), "no rows");
  }

  @Test
  void valuesWhoseSquaresWouldOverflowAreNamed() throws IOException {
    // 1e200 squared overflows a double; without the check EM failed in the M-step (exit 1).
    String in = numericTable("huge", new Object[][] {{1.0, 2.0, "a"}, {1.5, 1.0, "b"},
        {3.0, -1e200, "c"}, {2.0, 1.0, "d"}});
    assertRejected(out("huge"), fit(in, out("huge"), "--feature-cols", "x0,x1"),
        "row 2", "column 'x1'", "-1.0E200", "1e100");
    String vec = vectorTable("hugevec", new double[] {1, 2}, new double[] {1e101, 4},
        new double[] {5, 6});
    assertRejected(out("hugevec"), fit(vec, out("hugevec")), "row 1", "column 'features'",
        "1.0E101", "position 0", "1e100");
  }

  @Test
  void outputBelowAFileIsRefusedBeforeAnyWork() throws IOException {
    Path file = dir.resolve("a-file");
    Files.writeString(file, "not a directory");
    String output = file.resolve("models").resolve("gmm").toString();
    String in = dir.resolve("good.parquet").toString();
    for (boolean dryRun : new boolean[] {false, true}) {
      List<String> args = new ArrayList<>(List.of(fit(in, output, "--feature-cols", "x0,x1,x2")));
      if (dryRun) {
        args.add("--dry-run");
      }
      Cli r = Cli.run(args.toArray(new String[0]));
      assertEquals(2, r.exitCode(), "exit code; stderr: " + r.err());
      assertTrue(r.err().contains("output " + output + " cannot be created")
          && r.err().contains(file + " is a file, not a directory"), r.err());
      assertEquals("", r.out(), "nothing may run or report success");
      assertEquals("not a directory", Files.readString(file));
    }
  }

  @Test
  void csvWithAHeaderAndNoRowsIsEmpty() throws IOException {
    // Spark infers string columns for a CSV without rows; emptiness must be named first.
    Path csv = dir.resolve("header-only.csv");
    Files.writeString(csv, "a,b\n");
    assertRejected(out("header-only"), fit(csv.toString(), out("header-only")),
        "input " + csv, "has no rows");
    assertRejected(out("header-only2"),
        fit(csv.toString(), out("header-only2"), "--feature-cols", "a,b"), "has no rows");
  }

  @Test
  void invisibleCharactersInColumnNamesAreShown() throws IOException {
    // A name copied from the header of a CRLF file keeps its carriage return.
    String in = numericTable("cr", new Object[][] {{1.0, 2.0, "a"}, {2.0, 1.0, "b"}});
    assertRejected(out("cr"), fit(in, out("cr"), "--feature-cols", "x0,x1\r"),
        "column 'x1\\r' is missing", "the input has columns 'x0', 'x1', 'label'");
  }

  @Test
  void crlfCsvReadsWithCleanColumnNames() throws IOException {
    Path csv = dir.resolve("crlf.csv");
    Files.writeString(csv, "a,b\r\n1.0,2.0\r\n3.5,4.0\r\n-1.0,0.5\r\n");
    String[] args = {"gmm", "fit", "--input", csv.toString(), "--feature-cols", "a,b", "--k", "1",
        "--output", out("crlf")};
    Cli r = Cli.run(args);
    assertEquals(0, r.exitCode(), r.err());
    // One full-covariance component is the sample mean: (1 + 3.5 - 1) / 3 and (2 + 4 + 0.5) / 3.
    Row mean = spark.read().parquet(out("crlf") + "/components").select("mean").first();
    assertArrayEquals(new double[] {3.5 / 3, 6.5 / 3},
        mean.<Double>getList(0).stream().mapToDouble(Double::doubleValue).toArray(), 1e-9);
  }

  @Test
  void kLargerThanTheDistinctRowsIsRejected() throws IOException {
    String in = numericTable("dups", new Object[][] {{1.0, 2.0, "a"}, {1.0, 2.0, "a"},
        {3.0, 4.0, "b"}, {3.0, 4.0, "b"}, {1.0, 2.0, "c"}});
    String[] args = {"gmm", "fit", "--input", in, "--feature-cols", "x0,x1", "--k", "3",
        "--output", out("dups")};
    assertRejected(out("dups"), args, "k = 3", "distinct rows (2)");
  }

  @Test
  void dataWithoutSpreadAndNoRegularisationIsNamed() throws IOException {
    String in = numericTable("flat", new Object[][] {{1.0, 2.0, "a"}, {1.0, 3.0, "b"},
        {1.0, 4.0, "c"}, {1.0, 7.0, "d"}});
    assertRejected(out("flat"), fit(in, out("flat"), "--feature-cols", "x0,x1", "--reg-covar", "0"),
        "--reg-covar");
  }

  @Test
  void missingInputPathIsNamed() throws IOException {
    String in = dir.resolve("nowhere.parquet").toString();
    assertRejected(out("nowhere"), fit(in, out("nowhere")), "nowhere.parquet", "does not exist");
  }

  @Test
  void existingOutputIsKeptWithoutOverwrite() throws IOException {
    Path existing = dir.resolve("existing");
    Files.createDirectories(existing);
    Files.writeString(existing.resolve("keep.txt"), "mine");
    String in = dir.resolve("good.parquet").toString();
    Cli r = Cli.run(fit(in, existing.toString(), "--feature-cols", "x0,x1,x2"));
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("already exists") && r.err().contains("--overwrite"), r.err());
    assertEquals("mine", Files.readString(existing.resolve("keep.txt")));
  }

  @Test
  void badOptionValuesAreUsageErrors() throws IOException {
    String in = dir.resolve("good.parquet").toString();
    String[] k0 = {"gmm", "fit", "--input", in, "--k", "0", "--output", out("k0")};
    assertRejected(out("k0"), k0, "'--k'", "must be at least 1, got 0");
    assertRejected(out("cov"), fit(in, out("cov"), "--covariance", "banana"), "banana");
    assertRejected(out("reg"), fit(in, out("reg"), "--reg-covar", "-1"), "reg-covar");
  }

  private String copyModel(String name) throws IOException {
    Path copy = dir.resolve(name);
    try (Stream<Path> files = Files.walk(Path.of(model))) {
      for (Path p : files.toList()) {
        Path target = copy.resolve(Path.of(model).relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return copy.toString();
  }

  private String[] score(String modelPath, String input, String output) {
    return new String[] {"gmm", "score", "--model", modelPath, "--input", input, "--output", output};
  }

  @Test
  void corruptModelIsNamed() throws IOException {
    String corrupt = copyModel("corrupt-model");
    Files.writeString(Path.of(corrupt, "metadata.json"), "{\"format\": \"spark-lvm/gmm\", ",
        StandardCharsets.UTF_8);
    String in = dir.resolve("good.parquet").toString();
    assertRejected(out("corrupt"), score(corrupt, in, out("corrupt")), "metadata.json",
        "not valid JSON");
  }

  @Test
  void newerFormatVersionIsRefused() throws IOException {
    String newer = copyModel("newer-model");
    Path meta = Path.of(newer, "metadata.json");
    Files.writeString(meta, Files.readString(meta).replace("\"formatVersion\" : 1",
        "\"formatVersion\" : 99"));
    String in = dir.resolve("good.parquet").toString();
    assertRejected(out("newer"), score(newer, in, out("newer")), "formatVersion 99", "newer");
  }

  @Test
  void modelWithoutComponentsIsNamed() throws IOException {
    String broken = copyModel("broken-model");
    try (Stream<Path> files = Files.walk(Path.of(broken, "components"))) {
      files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    }
    String in = dir.resolve("good.parquet").toString();
    assertRejected(out("broken"), score(broken, in, out("broken")), "components");
  }

  @Test
  void modelOfTheWrongStructureIsRefusedNamingTheComponent() throws IOException {
    // A full mixture's components declared diagonal: off-diagonal entries a diagonal model cannot have.
    String relabelled = copyModel("diag-model");
    Path meta = Path.of(relabelled, "metadata.json");
    Files.writeString(meta, Files.readString(meta).replace("\"covarianceType\" : \"full\"",
        "\"covarianceType\" : \"diag\""));
    String in = dir.resolve("good.parquet").toString();
    assertRejected(out("diag"), score(relabelled, in, out("diag")), "component 0",
        "a diagonal covariance has off-diagonal entry");
    // Weights that no longer sum to one.
    String halved = copyModel("halved-model");
    String components = Path.of(halved, "components").toString();
    Dataset<Row> table = spark.read().parquet(components);
    List<Row> rows = table.collectAsList();
    List<Row> changed = new ArrayList<>();
    for (Row r : rows) {
      Object[] values = new Object[r.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = r.get(i);
      }
      values[r.fieldIndex("weight")] = r.getDouble(r.fieldIndex("weight")) / 2;
      changed.add(RowFactory.create(values));
    }
    String rewritten = dir.resolve("halved-components").toString();
    spark.createDataFrame(changed, table.schema()).coalesce(1).write().parquet(rewritten);
    try (Stream<Path> files = Files.walk(Path.of(components))) {
      files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    }
    Files.move(Path.of(rewritten), Path.of(components));
    assertRejected(out("halved"), score(halved, in, out("halved")), "weights sum to 0.5");
  }

  @Test
  void notAModelDirectoryIsNamed() throws IOException {
    String in = dir.resolve("good.parquet").toString();
    assertRejected(out("notmodel"), score(in, in, out("notmodel")), "metadata.json");
  }

  @Test
  void scoringDataOfTheWrongDimensionIsNamed() throws IOException {
    String in = vectorTable("dim2", new double[] {1, 2}, new double[] {3, 4});
    String[] args = {"gmm", "score", "--model", model, "--input", in, "--features-col",
        "features", "--output", out("dim2")};
    assertRejected(out("dim2"), args, "2 features", "model has 3");
  }

  @Test
  void scoringDataWithoutTheModelsColumnsIsNamed() throws IOException {
    String in = numericTable("cols2", new Object[][] {{1.0, 2.0, "a"}});
    assertRejected(out("cols2"), score(model, in, out("cols2")), "'x2'", "missing");
  }
}
