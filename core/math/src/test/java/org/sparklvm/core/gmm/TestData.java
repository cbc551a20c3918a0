package org.sparklvm.core.gmm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.sparklvm.core.data.RowBlock;

/** Planted mixtures, bundled tables and an in-memory E-step for the core tests. */
final class TestData {

  private TestData() {}

  /** Rows drawn from {@code model}, in blocks of {@code blockRows}. */
  static List<RowBlock> draw(GaussianMixtureModel model, int rows, int blockRows, long seed) {
    Random random = new Random(seed);
    int d = model.dim();
    List<RowBlock> blocks = new ArrayList<>();
    for (int start = 0; start < rows; start += blockRows) {
      int n = Math.min(blockRows, rows - start);
      double[] values = new double[n * d];
      double[] x = new double[d];
      for (int r = 0; r < n; r++) {
        model.sample(random, x);
        System.arraycopy(x, 0, values, r * d, d);
      }
      blocks.add(new RowBlock(n, d, values, null));
    }
    return blocks;
  }

  /** All blocks as one. */
  static RowBlock concat(List<RowBlock> blocks) {
    return RowBlock.concat(blocks, blocks.get(0).dim());
  }

  /** The E-step over blocks held in this JVM. */
  static ExpectationMaximization.ExpectationPass pass(List<RowBlock> blocks) {
    return model -> {
      SufficientStatistics s = new SufficientStatistics(model);
      blocks.forEach(s::add);
      return s;
    };
  }

  /** A bundled scikit-learn table (features only, the trailing label dropped). */
  static RowBlock table(String name) throws IOException {
    try (InputStream in = TestData.class.getResourceAsStream("/sklearn/" + name + ".csv")) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      int d = lines[0].split(",").length - 1;
      double[] values = new double[(lines.length - 1) * d];
      for (int r = 1; r < lines.length; r++) {
        String[] f = lines[r].split(",");
        for (int j = 0; j < d; j++) {
          values[(r - 1) * d + j] = Double.parseDouble(f[j]);
        }
      }
      return new RowBlock(lines.length - 1, d, values, null);
    }
  }

  /** A mixture with well-separated means, for recovery tests. */
  static GaussianMixtureModel planted(CovarianceType type) {
    double[] weights = {0.5, 0.3, 0.2};
    double[][] means = {{0, 0, 0}, {6, 6, 0}, {-6, 4, 5}};
    double[][] covs = new double[3][];
    double[] tied = {2.0, 0.6, 0.2, 0.6, 1.0, -0.3, 0.2, -0.3, 0.8};
    for (int c = 0; c < 3; c++) {
      covs[c] = switch (type) {
        case FULL -> new double[] {1.0 + c, 0.5, 0.1 * c, 0.5, 1.5, 0.2, 0.1 * c, 0.2, 0.7 + 0.3 * c};
        case TIED -> tied;
        case DIAG -> new double[] {1.0 + c, 0, 0, 0, 0.5 + c, 0, 0, 0, 2.0 - 0.5 * c};
        case SPHERICAL -> new double[] {0.5 + c, 0, 0, 0, 0.5 + c, 0, 0, 0, 0.5 + c};
      };
    }
    return new GaussianMixtureModel(type, weights, means, covs);
  }
}
