package org.sparklvm.jobs.plot;

import java.awt.Color;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Histograms as step curves, with an optional vertical threshold line. */
final class Histograms {

  private Histograms() {}

  /**
   * @param threshold where to draw the vertical line; NaN for none
   */
  static XYChart withThreshold(String title, String xLabel, double[] values, double threshold,
      String thresholdName) {
    XYChart chart = Charts.xy(title, xLabel, "rows");
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      if (Double.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (!Double.isFinite(lo)) {
      return chart;
    }
    if (Double.isFinite(threshold)) {
      lo = Math.min(lo, threshold);
      hi = Math.max(hi, threshold);
    }
    int bins = 50;
    double width = hi > lo ? (hi - lo) / bins : 1.0;
    double[] counts = new double[bins];
    for (double v : values) {
      if (Double.isFinite(v)) {
        counts[Math.min(bins - 1, (int) ((v - lo) / width))]++;
      }
    }
    // Each bin as a flat top: (left, count), (right, count).
    double[] x = new double[2 * bins];
    double[] y = new double[2 * bins];
    double max = 0;
    for (int b = 0; b < bins; b++) {
      x[2 * b] = lo + b * width;
      x[2 * b + 1] = lo + (b + 1) * width;
      y[2 * b] = counts[b];
      y[2 * b + 1] = counts[b];
      max = Math.max(max, counts[b]);
    }
    XYSeries bars = chart.addSeries(values.length + " rows", x, y);
    bars.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
    bars.setMarker(SeriesMarkers.NONE);
    if (Double.isFinite(threshold)) {
      XYSeries line = chart.addSeries(thresholdName, new double[] {threshold, threshold},
          new double[] {0, max});
      line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      line.setMarker(SeriesMarkers.NONE);
      line.setLineColor(Color.RED);
    }
    return chart;
  }
}
