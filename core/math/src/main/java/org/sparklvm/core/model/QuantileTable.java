package org.sparklvm.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Quantiles of a per-row score on the training data (a mixture's log-density, a VAE's log-likelihood),
 * stored in a model's summary as {@code {"probabilities": [...], "values": [...]}} so that scoring can
 * flag rows below a chosen quantile without the training data.
 */
public final class QuantileTable {

  private QuantileTable() {}

  /** Probabilities at which scores are stored: fine in both tails. */
  public static double[] probabilities() {
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
   * Empirical quantiles of the finite {@code values} at {@code probabilities}, interpolated linearly
   * between order statistics (position {@code p (n - 1)}, as R's type 7 and numpy's default). NaN and
   * infinite values are left out: a threshold must be a number, and a row scored minus infinity is
   * below any of them anyway.
   *
   * @throws IllegalArgumentException when no value is finite
   */
  public static double[] of(double[] values, double[] probabilities) {
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

  /** Writes the table as {@code summary.field}. */
  public static ObjectNode write(ObjectNode summary, String field, double[] probabilities,
      double[] values) {
    ObjectNode q = summary.putObject(field);
    ArrayNode probs = q.putArray("probabilities");
    ArrayNode vals = q.putArray("values");
    for (int i = 0; i < probabilities.length; i++) {
      probs.add(probabilities[i]);
      vals.add(values[i]);
    }
    return q;
  }

  /**
   * The score below which a fraction {@code q} of the training rows fell, linearly interpolated
   * between the stored quantiles of {@code summary.field}.
   *
   * @param where names the model in messages
   * @throws IllegalArgumentException when {@code q} is outside (0, 1)
   * @throws ModelFormatException when the model holds no such table
   */
  public static double at(ObjectNode summary, String field, double q, String where) {
    if (!(q > 0.0 && q < 1.0)) {
      throw new IllegalArgumentException("anomaly quantile must be in (0, 1), got " + q);
    }
    JsonNode table = summary.get(field);
    if (table == null || !table.path("probabilities").isArray()
        || table.path("probabilities").size() != table.path("values").size()
        || table.path("probabilities").size() < 2) {
      throw new ModelFormatException(where + " holds no training quantiles ('" + field + "')");
    }
    JsonNode p = table.get("probabilities");
    JsonNode v = table.get("values");
    int n = p.size();
    if (q <= p.get(0).asDouble()) {
      return v.get(0).asDouble();
    }
    for (int i = 1; i < n; i++) {
      double hi = p.get(i).asDouble();
      if (q <= hi) {
        double lo = p.get(i - 1).asDouble();
        double t = (q - lo) / (hi - lo);
        return v.get(i - 1).asDouble() + t * (v.get(i).asDouble() - v.get(i - 1).asDouble());
      }
    }
    return v.get(n - 1).asDouble();
  }
}
