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
  private static final String LOG_DENSITY_QUANTILES = "logDensityQuantiles";

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
          // Before tol was range-checked a negative one meant what 0 means: never stop early.
          Math.max(0.0, requireNumber(p, "tol", where)),
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
    QuantileTable.write(s, LOG_DENSITY_QUANTILES, quantileProbabilities, quantileValues);
    return s;
  }

  /**
   * The training log-density below which a fraction {@code q} of the training rows fell.
   *
   * @throws IllegalArgumentException when {@code q} is outside (0, 1)
   * @throws ModelFormatException when the model holds no quantiles
   */
  public static double logDensityQuantile(ObjectNode summary, double q, String where) {
    return QuantileTable.at(summary, LOG_DENSITY_QUANTILES, q, where);
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
