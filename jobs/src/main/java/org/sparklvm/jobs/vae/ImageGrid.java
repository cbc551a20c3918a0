package org.sparklvm.jobs.vae;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.sparklvm.core.vae.VaeModel;
import org.sparklvm.jobs.UserInputException;

/** A PNG grid of grey-scale images whose pixels are in [0, 1] (MNIST-style samples). */
public final class ImageGrid {

  private ImageGrid() {}

  /**
   * Parses {@code HxW}.
   *
   * @throws UserInputException when the text is not two positive integers joined by x
   */
  public static int[] shape(String text) {
    String[] parts = text.toLowerCase(java.util.Locale.ROOT).split("x");
    try {
      int h = Integer.parseInt(parts[0].trim());
      int w = Integer.parseInt(parts[1].trim());
      if (parts.length == 2 && h > 0 && w > 0) {
        return new int[] {h, w};
      }
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      // Falls through to the message below.
    }
    throw new UserInputException("--image-shape must be HxW such as 28x28, got '" + text + "'");
  }

  /** {@code n} decoder means of {@code z ~ N(0, I)}, drawn on the driver. */
  public static List<double[]> samples(VaeModel model, int n, long seed) {
    java.util.Random random = new java.util.Random(seed);
    int l = model.latentDim();
    double[] z = new double[n * l];
    for (int i = 0; i < z.length; i++) {
      z[i] = random.nextGaussian();
    }
    double[] means = model.decodeMean(z, n);
    int d = means.length / n;
    List<double[]> out = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(java.util.Arrays.copyOfRange(means, i * d, (i + 1) * d));
    }
    return out;
  }

  /**
   * Writes up to {@code columns x columns} images side by side, one pixel gap between them.
   *
   * @throws UserInputException when an image's length is not {@code height x width}
   */
  public static void write(List<double[]> images, int height, int width, int columns,
      OutputStream out) throws IOException {
    int n = images.size();
    int rows = (n + columns - 1) / columns;
    BufferedImage grid = new BufferedImage(columns * (width + 1) + 1, rows * (height + 1) + 1,
        BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < n; i++) {
      double[] img = images.get(i);
      if (img.length != height * width) {
        throw new UserInputException("an image has " + img.length + " values, not " + height
            + " x " + width);
      }
      int x0 = 1 + (i % columns) * (width + 1);
      int y0 = 1 + (i / columns) * (height + 1);
      for (int r = 0; r < height; r++) {
        for (int c = 0; c < width; c++) {
          int v = (int) Math.round(255 * Math.max(0.0, Math.min(1.0, img[r * width + c])));
          grid.getRaster().setSample(x0 + c, y0 + r, 0, v);
        }
      }
    }
    ImageIO.write(grid, "png", out);
  }
}
