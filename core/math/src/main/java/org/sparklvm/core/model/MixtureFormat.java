package org.sparklvm.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.MixturePrior;
import org.sparklvm.core.gmm.WeightPrior;

/**
 * The {@code spark-lvm/gmm} model format: how a mixture fit's settings and results appear in {@code
 * metadata.json}. Version 1: {@code params} holds the {@link EmSettings}, {@code summary} a {@link
 * MixtureSummary}; the components
 * live beside it in Parquet ({@code component, weight, mean, covariance} with the covariance row-major).
 *
 * <p>A variational Bayesian fit ({@code gmm fit --prior}) is the same directory, readable by every
 * version 1 loader: its components are the scoring density (the mixture of the posterior's expected
 * parameters, scikit-learn's {@code weights_, means_, covariances_}), {@code params.prior} holds the {@link MixturePrior}, {@code
 * params.scoringDensity} says {@value #SCORING_DENSITY}, and the variational posterior's parameters
 * lie beside the components in {@value #POSTERIOR}.
 */
public final class MixtureFormat {

  public static final String FORMAT = "spark-lvm/gmm";
  public static final int VERSION = 1;
  /** Directory of the component table inside a model directory. */
  public static final String COMPONENTS = "components";
  /** Directory of a variational fit's posterior parameters inside a model directory. */
  public static final String POSTERIOR = "posterior";
  /** What a variational fit's components are, in {@code params.scoringDensity}. */
  public static final String SCORING_DENSITY = "expected parameters";

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
    p.put("dropRestartsAfter", s.dropRestartsAfter());
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
          // Models written before the setting existed ran the rule it declares by default.
          p.has("dropRestartsAfter") ? requireInt(p, "dropRestartsAfter", where)
              : EmSettings.DROP_RESTARTS_AFTER.defaultValue(),
          requireLong(p, "seed", where));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(where + ": " + e.getMessage(), e);
    }
  }

  /** A variational fit's prior as {@code params.prior}. */
  public static ObjectNode params(MixturePrior prior) {
    ObjectNode p = ModelMetadata.JSON.createObjectNode();
    p.put("weightPrior", prior.weightPrior().id());
    p.put("weightConcentration", prior.weightConcentration());
    p.put("meanPrecision", prior.meanPrecision());
    ArrayNode mean = p.putArray("meanPrior");
    for (double v : prior.meanPrior()) {
      mean.add(v);
    }
    p.put("degreesOfFreedom", prior.degreesOfFreedom());
    ArrayNode cov = p.putArray("covariancePrior");
    for (double v : prior.covariancePrior()) {
      cov.add(v);
    }
    return p;
  }

  /**
   * The prior of a variational fit, or null for a maximum likelihood one (no {@code params.prior}).
   *
   * @throws ModelFormatException naming a missing, ill-typed or invalid value of the prior
   */
  public static MixturePrior prior(ObjectNode params, String where) {
    JsonNode node = params.get("prior");
    if (node == null) {
      return null;
    }
    String at = where + ": params.prior";
    if (!node.isObject()) {
      throw new ModelFormatException(at + " is not an object");
    }
    ObjectNode p = (ObjectNode) node;
    EmSettings settings = settings(params, where);
    try {
      return new MixturePrior(WeightPrior.fromId(requireText(p, "weightPrior", at)),
          settings.covarianceType(), requireInt(params, "dim", where),
          requireNumber(p, "weightConcentration", at), requireNumber(p, "meanPrecision", at),
          requireNumbers(p, "meanPrior", at), requireNumber(p, "degreesOfFreedom", at),
          requireNumbers(p, "covariancePrior", at));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(at + ": " + e.getMessage(), e);
    }
  }

  static double[] requireNumbers(ObjectNode p, String f, String where) {
    JsonNode n = p.get(f);
    if (n == null || !n.isArray()) {
      throw new ModelFormatException(where + ": parameter '" + f + "' is missing or not a list");
    }
    double[] out = new double[n.size()];
    for (int i = 0; i < out.length; i++) {
      if (!n.get(i).isNumber()) {
        throw new ModelFormatException(where + ": parameter '" + f + "' has a value " + i
            + " that is not a number");
      }
      out[i] = n.get(i).doubleValue();
    }
    return out;
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
