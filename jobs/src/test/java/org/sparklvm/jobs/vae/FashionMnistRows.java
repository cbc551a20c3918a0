package org.sparklvm.jobs.vae;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * Image rows for measurements: the first rows of an IDX image file (Fashion-MNIST, Debian's {@code
 * dataset-fashion-mnist}) scaled to [0, 1], or, where the file is absent, binary rows of the same
 * width with a planted structure (each row copies one of 10 random prototypes, 10% of pixels
 * flipped).
 */
final class FashionMnistRows {

  static final Path TRAIN_IMAGES =
      Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");

  private FashionMnistRows() {}

  /**
   * @throws IOException when the file exists but is not an IDX image file
   */
  static List<double[]> read(int rows, long seed) throws IOException {
    if (!Files.exists(TRAIN_IMAGES)) {
      return synthetic(rows, 784, seed);
    }
    try (InputStream raw = Files.newInputStream(TRAIN_IMAGES);
        DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
      int magic = in.readInt();
      if (magic != 2051) {
        throw new IOException(TRAIN_IMAGES + ": magic " + magic + ", not 2051 (IDX images)");
      }
      int n = in.readInt();
      int d = in.readInt() * in.readInt();
      if (rows > n) {
        throw new IOException(TRAIN_IMAGES + " has " + n + " images, asked for " + rows);
      }
      List<double[]> out = new ArrayList<>(rows);
      byte[] pixels = new byte[d];
      for (int r = 0; r < rows; r++) {
        in.readFully(pixels);
        double[] x = new double[d];
        for (int j = 0; j < d; j++) {
          x[j] = (pixels[j] & 0xff) / 255.0;
        }
        out.add(x);
      }
      return out;
    }
  }

  private static List<double[]> synthetic(int rows, int d, long seed) {
    Random random = new Random(seed);
    boolean[][] prototypes = new boolean[10][d];
    for (boolean[] p : prototypes) {
      for (int j = 0; j < d; j++) {
        p[j] = random.nextBoolean();
      }
    }
    List<double[]> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      boolean[] p = prototypes[random.nextInt(10)];
      double[] x = new double[d];
      for (int j = 0; j < d; j++) {
        x[j] = p[j] ^ random.nextDouble() < 0.1 ? 1 : 0;
      }
      out.add(x);
    }
    return out;
  }
}
