package org.sparklvm.jobs.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.jobs.UserInputException;

/** Reads a table in any of the supported formats from any Hadoop file system. */
public final class DataReader {

  private DataReader() {}

  /**
   * @throws UserInputException when the path does not exist, its format cannot be inferred, it
   *     cannot be read as that format, or it is a CSV file without rows
   */
  public static Dataset<Row> read(SparkSession spark, InputSpec spec) {
    Path path = new Path(spec.path());
    String format = spec.format() != null ? spec.format() : inferFormat(spark, path);
    try {
      return switch (format) {
        case "csv" -> csv(spark, spec.path());
        case "libsvm" -> spark.read().format("libsvm").load(spec.path());
        case "orc" -> spark.read().orc(spec.path());
        case "idx" -> IdxReader.read(spark, spec.path());
        default -> spark.read().parquet(spec.path());
      };
    } catch (UserInputException e) {
      throw e;
    } catch (Exception e) {
      // Spark's AnalysisException is checked in Java's eyes, hence Exception.
      throw new UserInputException(
          "cannot read " + spec.path() + " as " + format + ": " + rootMessage(e), e);
    }
  }

  /**
   * The column of a streamed CSV record that the parser could not read whole (a value that is not a
   * number, too few or too many fields), holding the record's text; null for a record read whole.
   */
  public static final String CORRUPT_RECORD = "_corrupt_record";

  /**
   * A directory read as a stream: the files in it now, then each new file as it lands (Spark's file
   * source; new files should be moved in whole, not written in place). A stream needs its schema
   * before the first row: it is that of the files present at start, read as {@link #read} reads them
   * (CSV types inferred), or {@code whenEmpty} (the model's feature columns) when there are none.
   * CSV records are read leniently: a value that does not parse becomes null and the record's text
   * goes to {@link #CORRUPT_RECORD}, the last column, so that one bad file does not stop the stream;
   * the columns in {@code doubles} are read as doubles whatever was inferred.
   *
   * @param whenEmpty the schema when the directory has no data file yet
   * @param doubles CSV columns to read as doubles (the features)
   * @param filesPerBatch Spark's {@code maxFilesPerTrigger}, or null for every new file
   * @throws UserInputException when the path is not a directory, or is empty and no format is given
   */
  public static Dataset<Row> readStream(SparkSession spark, InputSpec spec, StructType whenEmpty,
      java.util.Set<String> doubles, Integer filesPerBatch) {
    Path path = new Path(spec.path());
    boolean empty;
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.getFileStatus(path).isDirectory()) {
        throw new UserInputException("input " + path + " is not a directory; --stream reads the"
            + " files that land in a directory");
      }
      empty = java.util.Arrays.stream(fs.listStatus(path)).noneMatch(
          f -> f.isFile() && !f.getPath().getName().startsWith("_")
              && !f.getPath().getName().startsWith("."));
    } catch (FileNotFoundException e) {
      throw new UserInputException("input " + path + " does not exist", e);
    } catch (IOException e) {
      throw new UserInputException("cannot read input " + path + ": " + e.getMessage(), e);
    }
    if (empty && spec.format() == null) {
      throw new UserInputException("input " + path + " is an empty directory: pass --format"
          + " parquet|csv so that the stream knows how to read the files to come");
    }
    String format = spec.format() != null ? spec.format() : inferFormat(spark, path);
    if (!format.equals("csv") && !format.equals("parquet")) {
      throw new UserInputException("--stream reads parquet or csv, not " + format);
    }
    StructType schema = empty ? whenEmpty : read(spark, spec).schema();
    DataStreamReader reader = spark.readStream();
    if (filesPerBatch != null) {
      reader = reader.option("maxFilesPerTrigger", filesPerBatch.longValue());
    }
    if (format.equals("parquet")) {
      return reader.schema(schema).parquet(spec.path());
    }
    StructType csv = new StructType();
    for (var f : schema.fields()) {
      csv = csv.add(f.name(), doubles.contains(f.name()) ? DataTypes.DoubleType : f.dataType(), true);
    }
    csv = csv.add(CORRUPT_RECORD, DataTypes.StringType, true);
    return reader.schema(csv).option("header", "true").option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", CORRUPT_RECORD).csv(spec.path());
  }

  /**
   * A CSV file with a header line. Its column types are inferred from its rows, so a file without
   * rows has only string columns: it is reported as empty here, before anyone judges those types.
   */
  private static Dataset<Row> csv(SparkSession spark, String path) {
    Dataset<Row> table = spark.read().option("header", "true").option("inferSchema", "true")
        .option("mode", "FAILFAST").csv(path);
    if (table.isEmpty()) {
      throw new UserInputException("input " + path + " has no rows");
    }
    return table;
  }

  /**
   * The format named by the path's extension, or by the extension of the first data file of a
   * directory written by Spark or Hive.
   */
  static String inferFormat(SparkSession spark, Path path) {
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus status = fs.getFileStatus(path);
      String name = path.getName();
      if (status.isDirectory()) {
        name = null;
        for (FileStatus child : fs.listStatus(path)) {
          String n = child.getPath().getName();
          if (child.isFile() && !n.startsWith("_") && !n.startsWith(".")) {
            name = n;
            break;
          }
        }
        if (name == null) {
          throw new UserInputException("input " + path + " is an empty directory");
        }
      }
      String format = formatOf(name);
      if (format == null) {
        throw new UserInputException("cannot tell the format of " + path + " from '" + name
            + "'; pass --format parquet|csv|libsvm|orc|idx");
      }
      return format;
    } catch (FileNotFoundException e) {
      throw new UserInputException("input " + path + " does not exist", e);
    } catch (IOException e) {
      throw new UserInputException("cannot read input " + path + ": " + e.getMessage(), e);
    }
  }

  private static String formatOf(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    for (String compressed : new String[] {".gz", ".bz2", ".snappy", ".zst", ".lz4", ".deflate"}) {
      if (n.endsWith(compressed)) {
        n = n.substring(0, n.length() - compressed.length());
      }
    }
    if (n.endsWith(".parquet")) {
      return "parquet";
    }
    if (n.endsWith(".csv")) {
      return "csv";
    }
    if (n.endsWith(".orc")) {
      return "orc";
    }
    if (n.endsWith(".libsvm") || n.endsWith(".svm")) {
      return "libsvm";
    }
    if (n.contains("-idx3-ubyte")) {
      return "idx";
    }
    return null;
  }

  /**
   * Whether a failed read was the data's fault (unparseable records, a corrupt or mistyped file)
   * rather than the cluster's, judged by the exceptions Spark, Parquet and ORC raise for them.
   */
  static boolean isMalformedInput(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String name = t.getClass().getSimpleName();
      String message = String.valueOf(t.getMessage());
      if (name.contains("BadRecord") || name.contains("ParquetDecoding")
          || name.contains("SchemaColumnConvert") || name.contains("NumberFormat")
          || message.contains("Malformed") || message.contains("is not a Parquet file")
          || message.contains("Malformed ORC file")) {
        return true;
      }
    }
    return false;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
