package org.sparklvm.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import org.sparklvm.core.vae.Likelihood;
import org.sparklvm.core.vae.VaeArchitecture;

/**
 * The {@code spark-lvm/vae} model format. Version 1: {@code params} holds the {@link
 * VaeArchitecture} and the training settings, {@code summary} the per-epoch ELBOs and the final
 * importance-sampled log-likelihood; the network (with its updater state) is DL4J's zip beside it.
 */
public final class VaeFormat {

  public static final String FORMAT = "spark-lvm/vae";
  public static final int VERSION = 1;
  public static final String NETWORK = "network.zip";
  private static final String LOG_LIKELIHOOD_QUANTILES = "logLikelihoodQuantiles";

  private VaeFormat() {}

  public static ObjectNode params(VaeArchitecture a) {
    ObjectNode p = ModelMetadata.JSON.createObjectNode();
    p.put("inputDim", a.inputDim());
    p.put("latentDim", a.latentDim());
    ArrayNode enc = p.putArray("encoder");
    for (int h : a.encoderLayers()) {
      enc.add(h);
    }
    ArrayNode dec = p.putArray("decoder");
    for (int h : a.decoderLayers()) {
      dec.add(h);
    }
    p.put("likelihood", a.likelihood().id());
    p.put("samples", a.samples());
    p.put("beta", a.beta());
    p.put("learningRate", a.learningRate());
    p.put("maxBatch", a.maxBatch());
    p.put("seed", a.seed());
    return p;
  }

  /**
   * @throws ModelFormatException naming a missing or ill-typed parameter
   */
  public static VaeArchitecture architecture(ObjectNode p, String where) {
    try {
      return new VaeArchitecture(MixtureFormat.requireInt(p, "inputDim", where),
          MixtureFormat.requireInt(p, "latentDim", where), ints(p, "encoder", where),
          ints(p, "decoder", where),
          Likelihood.fromId(MixtureFormat.requireText(p, "likelihood", where)),
          MixtureFormat.requireInt(p, "samples", where),
          MixtureFormat.requireNumber(p, "beta", where),
          MixtureFormat.requireNumber(p, "learningRate", where),
          MixtureFormat.requireInt(p, "maxBatch", where),
          MixtureFormat.requireLong(p, "seed", where));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(where + ": " + e.getMessage(), e);
    }
  }

  private static int[] ints(ObjectNode p, String field, String where) {
    JsonNode n = p.get(field);
    if (n == null || !n.isArray()) {
      throw new ModelFormatException(where + ": parameter '" + field + "' is missing or not a list");
    }
    int[] out = new int[n.size()];
    for (int i = 0; i < out.length; i++) {
      if (!n.get(i).isInt()) {
        throw new ModelFormatException(where + ": parameter '" + field + "' holds " + n.get(i));
      }
      out[i] = n.get(i).intValue();
    }
    return out;
  }

  /**
   * The summary of a training run.
   *
   * @param reference importance-sampled log-likelihoods of held-out rows (training rows when none
   *     were held out): their mean is the validation log-likelihood, their quantiles the anomaly
   *     thresholds
   * @param heldOut whether {@code reference} comes from held-out rows
   */
  public static ObjectNode summary(int epochs, List<Double> trainElbo, List<Double> validationElbo,
      double[] reference, boolean heldOut, int importanceSamples, long rows) {
    ObjectNode s = ModelMetadata.JSON.createObjectNode();
    s.put("epochs", epochs);
    trainElbo.forEach(s.putArray("trainElboHistory")::add);
    validationElbo.forEach(s.putArray("validationElboHistory")::add);
    if (!validationElbo.isEmpty()) {
      s.put("validationElbo", validationElbo.get(validationElbo.size() - 1));
    }
    if (heldOut) {
      s.put("validationLogLikelihood", Arrays.stream(reference).average().orElseThrow());
    }
    s.put("importanceSamples", importanceSamples);
    s.put("rows", rows);
    double[] probabilities = QuantileTable.probabilities();
    ObjectNode q = QuantileTable.write(s, LOG_LIKELIHOOD_QUANTILES, probabilities,
        QuantileTable.of(reference, probabilities));
    q.put("rows", reference.length);
    q.put("rowsFrom", heldOut ? "validation" : "training");
    return s;
  }

  /**
   * The importance-sampled log-likelihood below which a fraction {@code q} of the reference rows
   * (held-out rows, or training rows when none were held out) fell.
   *
   * @throws IllegalArgumentException when {@code q} is outside (0, 1)
   * @throws ModelFormatException when the model holds no quantiles
   */
  public static double logLikelihoodQuantile(ObjectNode summary, double q, String where) {
    return QuantileTable.at(summary, LOG_LIKELIHOOD_QUANTILES, q, where);
  }
}
