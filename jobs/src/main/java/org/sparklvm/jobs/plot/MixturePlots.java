package org.sparklvm.jobs.plot;

import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.theme.XChartTheme;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.linalg.PrincipalAxes;
import org.sparklvm.core.model.MixtureSummary;
import org.sparklvm.jobs.store.PlotSample;
import org.sparklvm.jobs.store.StoredModel;

/**
 * A mixture fit's pictures: {@code log-likelihood.png} (mean log-likelihood per EM iteration), {@code
 * selection.png} (BIC and AIC against k, for {@code gmm select}), {@code clusters.png} (a sample of
 * rows on their first two principal axes, coloured by cluster, with each component's 95% ellipse) and
 * {@code log-density.png} (histogram of the sample's log-densities with the 1% training quantile,
 * the anomaly threshold of {@code --anomaly-quantile 0.01}).
 */
public final class MixturePlots {

  /** sqrt of the 95% quantile of chi-squared with 2 degrees of freedom: the ellipses' radius. */
  private static final double RADIUS_95 = Math.sqrt(5.991464547107979);

  private MixturePlots() {}

  /** The points of {@code rows} for the data pictures. */
  public static PlotSample sample(GaussianMixtureModel model, RowBlock rows) {
    int n = rows.rows();
    int d = rows.dim();
    double[] x = new double[n];
    double[] y = new double[n];
    int[] groups = new int[n];
    double[] values = new double[n];
    int k = model.k();
    double[] resp = new double[n * k];
    model.evaluate(rows, values, resp);
    PrincipalAxes axes = d > 2 && n > 2 ? PrincipalAxes.of(rows.values(), n, d, 2) : null;
    for (int r = 0; r < n; r++) {
      double[] row = rows.row(r);
      double[] p = axes != null ? axes.project(row) : row;
      x[r] = p[0];
      y[r] = d > 1 ? p[1] : 0.0;
      int best = 0;
      for (int c = 1; c < k; c++) {
        if (resp[r * k + c] > resp[r * k + best]) {
          best = c;
        }
      }
      groups[r] = best;
    }
    return new PlotSample(axes, x, y, groups, null, values, null, null);
  }

  /** Draws every picture the model's metadata and sample allow into {@code dir}. */
  public static void draw(StoredModel<GaussianMixtureModel, MixtureSummary> stored, FileSystem fs,
      Path dir) throws IOException {
    MixtureSummary summary = stored.summary();
    List<Double> history = summary.logLikelihoodHistory();
    if (!history.isEmpty()) {
      XYChart chart = Charts.xy("EM: mean log-likelihood per row", "iteration",
          "mean log-likelihood");
      Charts.line(chart, "k = " + stored.model().k() + ", "
          + stored.model().covarianceType().id(), Charts.steps(history, 0), Charts.array(history));
      Charts.write(chart, fs, dir, "log-likelihood.png");
    }
    if (summary.selection() != null) {
      Charts.write(selection(summary.selection()), fs, dir, "selection.png");
    }
    PlotSample sample = stored.plotSample();
    if (sample != null) {
      Charts.write(clusters(stored.model(), sample), fs, dir, "clusters.png");
      // NaN: a model from before the quantiles were stored.
      double threshold = summary.logLikelihoodQuantiles() == null ? Double.NaN
          : summary.logLikelihoodQuantiles().threshold(0.01);
      Charts.write(Histograms.withThreshold("Log-density of a sample of rows", "log p(x)",
          sample.values(), threshold, "1% of training rows below (anomaly threshold)"), fs, dir,
          "log-density.png");
    }
  }

  private static XYChart selection(List<MixtureSummary.Candidate> grid) {
    XYChart chart = Charts.xy("Model selection", "k (components)", "criterion (lower is better)");
    Map<String, List<double[]>> byType = new LinkedHashMap<>();
    for (MixtureSummary.Candidate c : grid) {
      byType.computeIfAbsent(c.covarianceType(), t -> new ArrayList<>())
          .add(new double[] {c.k(), c.bic(), c.aic()});
    }
    byType.forEach((type, rows) -> {
      rows.sort((a, b) -> Double.compare(a[0], b[0]));
      double[] k = rows.stream().mapToDouble(r -> r[0]).toArray();
      Charts.line(chart, "BIC, " + type, k, rows.stream().mapToDouble(r -> r[1]).toArray());
      Charts.line(chart, "AIC, " + type, k, rows.stream().mapToDouble(r -> r[2]).toArray());
    });
    return chart;
  }

  private static XYChart clusters(GaussianMixtureModel model, PlotSample sample) {
    PrincipalAxes axes = sample.axes();
    String xLabel = axes != null ? Charts.axis(axes, 0) : "x0";
    String yLabel = axes != null ? Charts.axis(axes, 1) : model.dim() > 1 ? "x1" : "";
    XYChart chart = Charts.legendBeside(Charts.xy(model.k() + " clusters ("
        + model.covarianceType().id() + "), 95% ellipses", xLabel, yLabel));
    Color[] palette = new XChartTheme().getSeriesColors();
    for (int c = 0; c < model.k(); c++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < sample.groups().length; i++) {
        if (sample.groups()[i] == c) {
          members.add(i);
        }
      }
      double[] px = members.stream().mapToDouble(i -> sample.x()[i]).toArray();
      double[] py = members.stream().mapToDouble(i -> sample.y()[i]).toArray();
      Color color = palette[c % palette.length];
      if (px.length > 0) {
        Charts.points(chart, String.format("cluster %d (weight %.2f)", c, model.weights()[c]), px,
            py).setMarkerColor(color);
      }
      if (model.dim() > 1) {
        double[][] e = ellipse(model, c, axes);
        Charts.outline(chart, "ellipse " + c, e[0], e[1], color);
      }
    }
    return chart;
  }

  /** The component's mean and covariance seen on the two axes, at the 95% contour. */
  static double[][] ellipse(GaussianMixtureModel model, int c, PrincipalAxes axes) {
    int d = model.dim();
    double[] mu = axes != null ? axes.project(model.mean(c)) : model.mean(c);
    double[] s = model.covariance(c);
    double[] s2 = axes != null ? axes.projectCovariance(s)
        : new double[] {s[0], s[1], s[d], s[d + 1]};
    // Cholesky of the 2x2 covariance maps the unit circle onto the ellipse.
    double l11 = Math.sqrt(s2[0]);
    double l21 = s2[2] / l11;
    double l22 = Math.sqrt(Math.max(s2[3] - l21 * l21, 0.0));
    int n = 100;
    double[] ex = new double[n + 1];
    double[] ey = new double[n + 1];
    for (int i = 0; i <= n; i++) {
      double t = 2 * Math.PI * i / n;
      double u = RADIUS_95 * Math.cos(t);
      double v = RADIUS_95 * Math.sin(t);
      ex[i] = mu[0] + l11 * u;
      ey[i] = mu[1] + l21 * u + l22 * v;
    }
    return new double[][] {ex, ey};
  }
}
