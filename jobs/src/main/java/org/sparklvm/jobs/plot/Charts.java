package org.sparklvm.jobs.plot;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
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
    chart.getStyler().setMarkerSize(4);
    return chart;
  }

  /** The legend in a column right of the plot: for one entry per cluster or label. */
  static XYChart legendBeside(XYChart chart) {
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
    return chart;
  }

  /** A curve with points marked (objective per iteration or epoch). */
  static XYSeries line(XYChart chart, String name, double[] x, double[] y) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    s.setMarker(SeriesMarkers.CIRCLE);
    return s;
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

  static XYSeries points(XYChart chart, String name, double[] x, double[] y) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    s.setMarker(SeriesMarkers.CIRCLE);
    return s;
  }

  /** The 1..n indices of a history, as a curve's x values. */
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
