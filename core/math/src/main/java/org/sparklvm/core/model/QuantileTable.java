package org.sparklvm.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Quantiles of log p(x) on a model's reference rows (training rows for a mixture, held-out rows for a
 * VAE), stored in every kind's summary as {@code logLikelihoodQuantiles} so that scoring can flag rows
 * below a chosen quantile without the reference data.
 *
 * @param probabilities where the scores were cut, ascending in [0, 1]
 * @param values the scores at those probabilities
 * @param rows how many rows the quantiles were taken of (0 in models that did not record it)
 * @param rowsFrom which rows they were: {@code training} or {@code validation} (null in models that
 *     did not record it)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuantileTable(double[] probabilities, double[] values, long rows, String rowsFrom) {

  /**
   * @throws ModelFormatException when the table is too short or its two lists differ in length
   */
  public QuantileTable {
    if (probabilities == null || values == null || probabilities.length < 2
        || probabilities.length != values.length) {
      throw new ModelFormatException("a quantile table needs two lists of the same length (at"
          + " least 2), got " + (probabilities == null ? "none" : probabilities.length) + " and "
          + (values == null ? "none" : values.length));
    }
  }

  /** Probabilities at which scores are stored: fine in both tails. */
  public static double[] storedProbabilities() {
    List<Double> p = new ArrayList<>();
    p.add(0.0);
    for (double x : new double[] {1e-4, 2e-4, 5e-4}) {
      p.add(x);
    }
    for (int i = 1; i < 10; i++) {
      p.add(i / 1000.0);
    }
    for (int i = 1; i < 100; i++) {
      p.add(i / 100.0);
    }
    for (int i = 991; i < 1000; i++) {
      p.add(i / 1000.0);
    }
    p.add(0.9995);
    p.add(0.9999);
    p.add(1.0);
    return p.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * The table of {@code scores} at {@link #storedProbabilities()}.
   *
   * @param rowsFrom which rows the scores are of, for the summary
   * @throws IllegalArgumentException when no score is finite
   */
  public static QuantileTable of(double[] scores, String rowsFrom) {
    double[] p = storedProbabilities();
    return new QuantileTable(p, quantiles(scores, p), scores.length, rowsFrom);
  }

  /**
   * Empirical quantiles of the finite {@code values} at {@code probabilities}, interpolated linearly
   * between order statistics (position {@code p (n - 1)}, as R's type 7 and numpy's default). NaN and
   * infinite values are left out: a threshold must be a number, and a row scored minus infinity is
   * below any of them anyway.
   *
   * @throws IllegalArgumentException when no value is finite
   */
  public static double[] quantiles(double[] values, double[] probabilities) {
    double[] sorted = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
    if (sorted.length == 0) {
      throw new IllegalArgumentException(
          "no finite values to take quantiles of (" + values.length + " values)");
    }
    double[] out = new double[probabilities.length];
    for (int i = 0; i < out.length; i++) {
      double pos = probabilities[i] * (sorted.length - 1);
      int lo = (int) Math.floor(pos);
      int hi = Math.min(lo + 1, sorted.length - 1);
      out[i] = sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
    return out;
  }

  /**
   * The score below which a fraction {@code q} of the reference rows fell, linearly interpolated
   * between the stored quantiles.
   *
   * @throws IllegalArgumentException when {@code q} is outside (0, 1)
   */
  public double threshold(double q) {
    if (!(q > 0.0 && q < 1.0)) {
      throw new IllegalArgumentException("anomaly quantile must be in (0, 1), got " + q);
    }
    int n = probabilities.length;
    if (q <= probabilities[0]) {
      return values[0];
    }
    for (int i = 1; i < n; i++) {
      if (q <= probabilities[i]) {
        double t = (q - probabilities[i - 1]) / (probabilities[i] - probabilities[i - 1]);
        return values[i - 1] + t * (values[i] - values[i - 1]);
      }
    }
    return values[n - 1];
  }
}
