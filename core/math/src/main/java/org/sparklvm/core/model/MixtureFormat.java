package org.sparklvm.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.EmSettings;

/**
 * The {@code spark-lvm/gmm} model format: how a mixture fit's settings and results appear in {@code
 * metadata.json}. Version 1: {@code params} holds the {@link EmSettings}, {@code summary} a {@link
 * MixtureSummary}; the components
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
