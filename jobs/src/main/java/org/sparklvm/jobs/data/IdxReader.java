package org.sparklvm.jobs.data;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.jobs.UserInputException;

/**
 * Reads an IDX image file (the MNIST family's format: magic {@code 0x00000803}, count, rows, columns,
 * then unsigned bytes; gzip or plain) into a {@code features} vector column of pixels / 255, with a
 * {@code label} column when the matching {@code labels-idx1} file lies beside it. The bytes are read
 * once on the driver and spread over the cluster in chunks.
 */
public final class IdxReader {

  private static final int IMAGES_MAGIC = 0x00000803;
  private static final int LABELS_MAGIC = 0x00000801;
  private static final int CHUNK = 1000;

  private IdxReader() {}

  /**
   * @throws UserInputException when the file is not an IDX image file or its labels disagree
   */
  public static Dataset<Row> read(SparkSession spark, String path) {
    try {
      Path images = new Path(path);
      FileSystem fs = images.getFileSystem(spark.sparkContext().hadoopConfiguration());
      int count;
      int pixels;
      byte[] data;
      try (DataInputStream in = new DataInputStream(open(fs, images))) {
        int magic = in.readInt();
        if (magic != IMAGES_MAGIC) {
          throw new UserInputException(path + " is not an IDX image file (magic " + magic + ")");
        }
        count = in.readInt();
        pixels = in.readInt() * in.readInt();
        data = new byte[count * pixels];
        in.readFully(data);
      }
      byte[] labels = readLabels(fs, images, count);
      List<Object[]> chunks = new ArrayList<>();
      for (int start = 0; start < count; start += CHUNK) {
        int n = Math.min(CHUNK, count - start);
        byte[] chunk = new byte[n * pixels];
        System.arraycopy(data, start * pixels, chunk, 0, n * pixels);
        byte[] chunkLabels = null;
        if (labels != null) {
          chunkLabels = new byte[n];
          System.arraycopy(labels, start, chunkLabels, 0, n);
        }
        chunks.add(new Object[] {chunk, chunkLabels});
      }
      boolean labelled = labels != null;
      final int width = pixels;
      var rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
          .parallelize(chunks, Math.max(1, Math.min(chunks.size(),
              spark.sparkContext().defaultParallelism() * 2)))
          .flatMap(c -> {
            byte[] px = (byte[]) c[0];
            byte[] lb = (byte[]) c[1];
            List<Row> out = new ArrayList<>(px.length / width);
            for (int i = 0; i < px.length / width; i++) {
              double[] x = new double[width];
              for (int j = 0; j < width; j++) {
                x[j] = (px[i * width + j] & 0xff) / 255.0;
              }
              out.add(labelled ? RowFactory.create(Vectors.dense(x), lb[i] & 0xff)
                  : RowFactory.create(Vectors.dense(x)));
            }
            return out.iterator();
          });
      StructType schema = new StructType().add("features", SQLDataTypes.VectorType(), false);
      if (labelled) {
        schema = schema.add("label", DataTypes.IntegerType, false);
      }
      return spark.createDataFrame(rows, schema);
    } catch (IOException e) {
      throw new UserInputException("cannot read IDX file " + path + ": " + e.getMessage(), e);
    }
  }

  private static byte[] readLabels(FileSystem fs, Path images, int count) throws IOException {
    Path labels = new Path(images.getParent(), images.getName().replace("images-idx3", "labels-idx1"));
    if (labels.equals(images) || !fs.exists(labels)) {
      return null;
    }
    try (DataInputStream in = new DataInputStream(open(fs, labels))) {
      if (in.readInt() != LABELS_MAGIC || in.readInt() != count) {
        throw new UserInputException(labels + " is not an IDX label file for " + count + " images");
      }
      byte[] out = new byte[count];
      in.readFully(out);
      return out;
    }
  }

  private static InputStream open(FileSystem fs, Path p) throws IOException {
    InputStream raw = fs.open(p);
    return p.getName().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
  }
}
