package org.sparklvm.jobs.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.jobs.SparkTests;
import org.sparklvm.jobs.UserInputException;

/** The same table in every supported format reads to the same feature rows. */
class DataReaderTest {

  @TempDir Path dir;

  private static double[] rows(FeatureData data) {
    List<RowBlock> blocks = data.blocks().collect();
    return blocks.stream().flatMapToDouble(b -> java.util.Arrays.stream(b.values()))
        .sorted().toArray();
  }

  @Test
  void parquetCsvOrcAndLibsvmAgree() throws Exception {
    SparkSession spark = SparkTests.spark();
    Dataset<Row> table = SparkTests.columns(SparkTests.planted(), 300, 8).drop("component");
    table.write().parquet(dir.resolve("t.parquet").toString());
    table.write().option("header", "true").csv(dir.resolve("t_csv").toString());
    table.write().orc(dir.resolve("t_orc").toString());
    StringBuilder libsvm = new StringBuilder();
    for (Row r : table.collectAsList()) {
      libsvm.append("0 1:").append(r.getDouble(0)).append(" 2:").append(r.getDouble(1))
          .append(" 3:").append(r.getDouble(2)).append('\n');
    }
    Files.writeString(dir.resolve("t.libsvm"), libsvm);

    double[] expected = null;
    for (String name : List.of("t.parquet", "t_csv", "t_orc", "t.libsvm")) {
      InputSpec spec = new InputSpec(dir.resolve(name).toString(), null, null, List.of(), null);
      Dataset<Row> df = DataReader.read(spark, spec);
      FeatureColumns cols = FeatureColumns.resolve(df.schema(), null,
          name.endsWith("libsvm") ? List.of() : List.of("x0", "x1", "x2"), null);
      try (FeatureData data = FeatureData.of(df, cols, 0, 10, name)) {
        assertEquals(300, data.rows(), name);
        assertEquals(3, data.dim(), name);
        double[] values = rows(data);
        if (expected == null) {
          expected = values;
        } else {
          assertArrayEquals(expected, values, 1e-12, name);
        }
      }
    }
  }

  private static void writeIdx(Path file, int magic, int[] dims, byte[] body) throws Exception {
    try (var out = new java.io.DataOutputStream(new java.util.zip.GZIPOutputStream(
        Files.newOutputStream(file)))) {
      out.writeInt(magic);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(body);
    }
  }

  @Test
  void idxImagesReadAsPixelsOver255WithTheirLabels() throws Exception {
    // Three 2 x 2 images, the way Fashion-MNIST's files are laid out.
    byte[] pixels = {0, (byte) 255, 51, 102, 1, 2, 3, 4, (byte) 200, 0, 0, 0};
    writeIdx(dir.resolve("tiny-images-idx3-ubyte.gz"), 0x803, new int[] {3, 2, 2}, pixels);
    writeIdx(dir.resolve("tiny-labels-idx1-ubyte.gz"), 0x801, new int[] {3}, new byte[] {7, 0, 9});
    Dataset<Row> df = DataReader.read(SparkTests.spark(), new InputSpec(
        dir.resolve("tiny-images-idx3-ubyte.gz").toString(), null, null, List.of(), null));
    List<Row> rows = df.collectAsList();
    assertEquals(3, rows.size());
    assertArrayEquals(new double[] {0, 1, 0.2, 0.4},
        ((org.apache.spark.ml.linalg.Vector) rows.get(0).get(0)).toArray(), 1e-12);
    assertEquals(List.of(7, 0, 9), rows.stream().map(r -> r.getInt(1)).toList());
    assertEquals(200 / 255.0, ((org.apache.spark.ml.linalg.Vector) rows.get(2).get(0)).apply(0),
        1e-12);
  }

  @Test
  void unknownExtensionAsksForTheFormat() throws Exception {
    Files.writeString(dir.resolve("data.bin"), "x");
    UserInputException e = assertThrows(UserInputException.class, () -> DataReader.read(
        SparkTests.spark(), new InputSpec(dir.resolve("data.bin").toString(), null, null,
            List.of(), null)));
    assertTrue(e.getMessage().contains("--format"), e.getMessage());
  }

  @Test
  void malformedCsvIsTheInputsFault() throws Exception {
    Files.writeString(dir.resolve("bad.csv"), "a,b\n1,2\n3,oops\n4,5\n");
    Dataset<Row> df = DataReader.read(SparkTests.spark(),
        new InputSpec(dir.resolve("bad.csv").toString(), null, null, List.of(), null));
    // inferSchema makes b a string; naming it as a feature is refused before any pass.
    UserInputException e = assertThrows(UserInputException.class,
        () -> FeatureColumns.resolve(df.schema(), null, List.of("a", "b"), null));
    assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("not numeric"));
  }
}
