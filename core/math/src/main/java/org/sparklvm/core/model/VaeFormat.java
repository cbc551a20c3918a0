package org.sparklvm.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sparklvm.core.vae.Likelihood;
import org.sparklvm.core.vae.Objective;
import org.sparklvm.core.vae.VaeArchitecture;

/**
 * The {@code spark-lvm/vae} model format. Version 1: {@code params} holds the {@link
 * VaeArchitecture} and the training settings, {@code summary} a {@link VaeSummary}; the network (with its updater state) is DL4J's zip beside it.
 */
public final class VaeFormat {

  public static final String FORMAT = "spark-lvm/vae";
  public static final int VERSION = 1;
  public static final String NETWORK = "network.zip";

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
    p.put("objective", a.objective().id());
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
          // Models saved before the objective was a choice were all trained on the ELBO.
          p.hasNonNull("objective")
              ? Objective.fromId(MixtureFormat.requireText(p, "objective", where)) : Objective.ELBO,
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
}
