package org.sparklvm.jobs.plot;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.sparklvm.core.linalg.PrincipalAxes;
import org.sparklvm.jobs.store.ModelFiles;

/** The house style of spark-lvm's pictures (XChart), and writing them as PNG to any Hadoop path. */
final class Charts {

  static final int WIDTH = 800;
  static final int HEIGHT = 600;

  private Charts() {}

  static XYChart xy(String title, String xLabel, String yLabel) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    Styler s = chart.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    // Below the plot: inside, the legend covers the end of rising curves or a histogram's peak.
    s.setLegendPosition(Styler.LegendPosition.OutsideS);
    s.setLegendLayout(Styler.LegendLayout.Horizontal);
    s.setAntiAlias(true);
    s.setMarkerSize(4);
    return chart;
  }

  /** The legend in a column right of the plot: for one entry per cluster or label. */
  static XYChart legendBeside(XYChart chart) {
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
    return chart;
  }

  /** A curve with points marked (objective per iteration or epoch); non-finite points left out. */
  static XYSeries line(XYChart chart, String name, double[] x, double[] y) {
    return marked(chart, name, x, y, XYSeries.XYSeriesRenderStyle.Line);
  }

  /** A curve without markers (ellipses, thresholds). */
  static XYSeries outline(XYChart chart, String name, double[] x, double[] y, Color color) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(color);
    s.setShowInLegend(false);
    return s;
  }

  /** Points, non-finite ones left out (XChart refuses them). */
  static XYSeries points(XYChart chart, String name, double[] x, double[] y) {
    return marked(chart, name, x, y, XYSeries.XYSeriesRenderStyle.Scatter);
  }

  private static XYSeries marked(XYChart chart, String name, double[] x, double[] y,
      XYSeries.XYSeriesRenderStyle style) {
    double[][] xy = finite(x, y);
    XYSeries s = chart.addSeries(name, xy[0], xy[1]);
    s.setXYSeriesRenderStyle(style);
    s.setMarker(SeriesMarkers.CIRCLE);
    return s;
  }

  /** Label of a principal axis, with its share of the variance. */
  static String axis(PrincipalAxes axes, int k) {
    return String.format("principal axis %d (%.0f%% of variance)", k + 1, 100 * axes.explained(k));
  }

  /** The pairs where both coordinates are finite. */
  static double[][] finite(double[] x, double[] y) {
    int n = 0;
    double[] fx = new double[x.length];
    double[] fy = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
        fx[n] = x[i];
        fy[n++] = y[i];
      }
    }
    return new double[][] {Arrays.copyOf(fx, n), Arrays.copyOf(fy, n)};
  }

  /** The indices {@code first, first + 1, ...} of a history, as a curve's x values. */
  static double[] steps(List<Double> values, int first) {
    double[] x = new double[values.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = first + i;
    }
    return x;
  }

  static double[] array(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Writes {@code chart} as {@code dir/name} (PNG), replacing what is there. */
  static void write(Chart<?, ?> chart, FileSystem fs, Path dir, String name) throws IOException {
    byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    try (OutputStream out = ModelFiles.raw(fs).create(new Path(dir, name), true)) {
      out.write(png);
    }
  }
}
