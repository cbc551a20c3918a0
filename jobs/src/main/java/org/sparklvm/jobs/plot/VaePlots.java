package org.sparklvm.jobs.plot;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.knowm.xchart.XYChart;
import org.sparklvm.core.linalg.PrincipalAxes;
import org.sparklvm.core.model.VaeSummary;
import org.sparklvm.core.vae.VaeModel;
import org.sparklvm.jobs.store.ModelFiles;
import org.sparklvm.jobs.store.PlotSample;
import org.sparklvm.jobs.store.StoredModel;
import org.sparklvm.jobs.vae.TrainedVae;
import org.sparklvm.jobs.vae.ImageGrid;

/**
 * A VAE fit's pictures: {@code elbo.png} (training and held-out ELBO per epoch), {@code latent.png}
 * (the latent means of a sample of rows, first two dimensions or principal axes, coloured by a label
 * column when one was given) and, for images, {@code samples.png} (decoded draws from the prior) and
 * {@code reconstructions.png} (inputs above their reconstructions, the decoder's mean at the
 * encoder's mean).
 */
public final class VaePlots {

  /** Rows kept for the reconstruction grid (image VAEs only). */
  public static final int RECONSTRUCTIONS = 10;
  /** Distinct labels beyond which points are not coloured by label. */
  private static final int MAX_LABELS = 20;

  private VaePlots() {}

  /**
   * @param labels each row's label, or null
   * @param imageShape height and width when rows are images, else null
   */
  public static PlotSample sample(VaeModel model, List<double[]> rows, List<String> labels,
      int[] imageShape) {
    int n = rows.size();
    int m = model.latentDim();
    double[] means = new double[n * m];
    for (int r = 0; r < n; r++) {
      System.arraycopy(model.encode(rows.get(r)).mean(), 0, means, r * m, m);
    }
    PrincipalAxes axes = m > 2 && n > 2 ? PrincipalAxes.of(means, n, m, 2) : null;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int r = 0; r < n; r++) {
      double[] z = Arrays.copyOfRange(means, r * m, (r + 1) * m);
      double[] p = axes != null ? axes.project(z) : z;
      x[r] = p[0];
      y[r] = m > 1 ? p[1] : 0.0;
    }
    double[][] inputs = imageShape == null ? null
        : rows.subList(0, Math.min(RECONSTRUCTIONS, n)).toArray(new double[0][]);
    return new PlotSample(axes, x, y, null, labels == null ? null : labels.toArray(new String[0]),
        null, inputs, imageShape);
  }

  /** Draws every picture the metadata and sample allow into {@code dir}. */
  public static void draw(StoredModel<TrainedVae, VaeSummary> stored, FileSystem fs, Path dir,
      long seed) throws IOException {
    VaeSummary summary = stored.summary();
    List<Double> train = summary.trainElboHistory();
    List<Double> validation = summary.validationElboHistory();
    if (!train.isEmpty()) {
      XYChart chart = Charts.xy("ELBO per row", "epoch", "ELBO (nats per row)");
      Charts.line(chart, "training", Charts.steps(train, 1), Charts.array(train));
      if (!validation.isEmpty()) {
        Charts.line(chart, "held out", Charts.steps(validation, 1), Charts.array(validation));
      }
      Charts.write(chart, fs, dir, "elbo.png");
    }
    PlotSample sample = stored.plotSample();
    if (sample == null) {
      return;
    }
    VaeModel model = stored.model().latentModel();
    Charts.write(latent(model, sample), fs, dir, "latent.png");
    int[] shape = sample.imageShape();
    if (shape != null) {
      writeGrid(ImageGrid.samples(model, 100, seed), shape, 10, fs, new Path(dir, "samples.png"));
      List<double[]> pairs = new ArrayList<>();
      for (double[] x : sample.inputs()) {
        pairs.add(x);
      }
      for (double[] x : sample.inputs()) {
        pairs.add(model.decodeMean(model.encode(x).mean(), 1));
      }
      writeGrid(pairs, shape, sample.inputs().length, fs, new Path(dir, "reconstructions.png"));
    }
  }

  private static XYChart latent(VaeModel model, PlotSample sample) {
    PrincipalAxes axes = sample.axes();
    XYChart chart = Charts.legendBeside(Charts.xy("Latent means of " + sample.x().length + " rows",
        axes != null ? Charts.axis(axes, 0) : "z1",
        axes != null ? Charts.axis(axes, 1) : model.latentDim() > 1 ? "z2" : ""));
    TreeMap<String, List<Integer>> byLabel = new TreeMap<>();
    for (int i = 0; i < sample.x().length; i++) {
      String label = sample.labels() != null ? sample.labels()[i] : "rows";
      byLabel.computeIfAbsent(label, l -> new ArrayList<>()).add(i);
    }
    if (byLabel.size() > MAX_LABELS) {
      int labels = byLabel.size();
      byLabel = new TreeMap<>();
      List<Integer> all = new ArrayList<>();
      for (int i = 0; i < sample.x().length; i++) {
        all.add(i);
      }
      byLabel.put("rows (" + labels + " labels, too many to colour)", all);
    }
    byLabel.forEach((label, members) -> Charts.points(chart, label,
        members.stream().mapToDouble(i -> sample.x()[i]).toArray(),
        members.stream().mapToDouble(i -> sample.y()[i]).toArray()));
    return chart;
  }

  private static void writeGrid(List<double[]> images, int[] shape, int columns, FileSystem fs,
      Path file) throws IOException {
    try (OutputStream png = ModelFiles.raw(fs).create(file, true)) {
      ImageGrid.write(images, shape[0], shape[1], columns, png);
    }
  }
}
