package org.sparklvm.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.FitResult;

/**
 * The {@code spark-lvm/gmm} model format: how a mixture fit's settings and results appear in {@code
 * metadata.json}. Version 1: {@code params} holds the {@link EmSettings}, {@code summary} the fit's
 * convergence, BIC/AIC and the training log-density quantiles (for anomaly thresholds); the components
 * live beside it in Parquet ({@code component, weight, mean, covariance} with the covariance row-major).
 */
public final class MixtureFormat {

  public static final String FORMAT = "spark-lvm/gmm";
  public static final int VERSION = 1;
  /** Directory of the component table inside a model directory. */
  public static final String COMPONENTS = "components";

  private MixtureFormat() {}

  public static ObjectNode params(EmSettings s) {
    ObjectNode p = ModelMetadata.JSON.createObjectNode();
    p.put("k", s.k());
    p.put("covarianceType", s.covarianceType().id());
    p.put("maxIter", s.maxIterations());
    p.put("tol", s.tolerance());
    p.put("regCovar", s.regCovar());
    p.put("init", s.init().id());
    p.put("nInit", s.restarts());
    p.put("seed", s.seed());
    return p;
  }

  /**
   * @throws ModelFormatException naming a missing or ill-typed parameter
   */
  public static EmSettings settings(ObjectNode p, String where) {
    try {
      return new EmSettings(
          requireInt(p, "k", where),
          CovarianceType.fromId(requireText(p, "covarianceType", where)),
          requireInt(p, "maxIter", where),
          requireNumber(p, "tol", where),
          requireNumber(p, "regCovar", where),
          EmSettings.Initialization.fromId(requireText(p, "init", where)),
          requireInt(p, "nInit", where),
          requireLong(p, "seed", where));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(where + ": " + e.getMessage(), e);
    }
  }

  /**
   * The summary of a fit.
   *
   * @param quantileProbabilities probabilities at which the training log-densities were cut
   * @param quantileValues the log-densities at those probabilities
   */
  public static ObjectNode summary(
      FitResult fit, double[] quantileProbabilities, double[] quantileValues) {
    ObjectNode s = ModelMetadata.JSON.createObjectNode();
    s.put("iterations", fit.iterations());
    s.put("converged", fit.converged());
    s.put("meanLogLikelihood", fit.meanLogLikelihood());
    ArrayNode history = s.putArray("logLikelihoodHistory");
    fit.logLikelihoodHistory().forEach(history::add);
    s.put("bic", fit.bic());
    s.put("aic", fit.aic());
    s.put("rows", fit.rows());
    s.put("totalWeight", fit.totalWeight());
    s.put("freeParameters", fit.model().freeParameters());
    s.put("reinitializedComponents", fit.reinitializations());
    ObjectNode q = s.putObject("logDensityQuantiles");
    ArrayNode probs = q.putArray("probabilities");
    ArrayNode values = q.putArray("values");
    for (int i = 0; i < quantileProbabilities.length; i++) {
      probs.add(quantileProbabilities[i]);
      values.add(quantileValues[i]);
    }
    return s;
  }

  /**
   * The training log-density below which a fraction {@code q} of the training rows fell, linearly
   * interpolated between the stored quantiles.
   *
   * @throws IllegalArgumentException when {@code q} is outside (0, 1)
   * @throws ModelFormatException when the model holds no quantiles
   */
  public static double logDensityQuantile(ObjectNode summary, double q, String where) {
    if (!(q > 0.0 && q < 1.0)) {
      throw new IllegalArgumentException("anomaly quantile must be in (0, 1), got " + q);
    }
    JsonNode table = summary.get("logDensityQuantiles");
    if (table == null || !table.path("probabilities").isArray()
        || table.path("probabilities").size() != table.path("values").size()
        || table.path("probabilities").size() < 2) {
      throw new ModelFormatException(where + " holds no training log-density quantiles");
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

  /** Probabilities at which training log-densities are stored: fine in both tails. */
  public static double[] quantileProbabilities() {
    java.util.List<Double> p = new java.util.ArrayList<>();
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

  static int requireInt(ObjectNode p, String f, String where) {
    JsonNode n = p.get(f);
    if (n == null || !n.canConvertToInt() || !n.isIntegralNumber()) {
      throw new ModelFormatException(where + ": parameter '" + f + "' is missing or not an integer");
    }
    return n.intValue();
  }

  static long requireLong(ObjectNode p, String f, String where) {
    JsonNode n = p.get(f);
    if (n == null || !n.isIntegralNumber()) {
      throw new ModelFormatException(where + ": parameter '" + f + "' is missing or not an integer");
    }
    return n.longValue();
  }

  static double requireNumber(ObjectNode p, String f, String where) {
    JsonNode n = p.get(f);
    if (n == null || !n.isNumber()) {
      throw new ModelFormatException(where + ": parameter '" + f + "' is missing or not a number");
    }
    return n.doubleValue();
  }

  static String requireText(ObjectNode p, String f, String where) {
    JsonNode n = p.get(f);
    if (n == null || !n.isTextual()) {
      throw new ModelFormatException(where + ": parameter '" + f + "' is missing or not text");
    }
    return n.textValue();
  }
}
