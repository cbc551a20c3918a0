package org.sparklvm.core.vae;

import java.util.Locale;

/** The decoder's observation model {@code p(x|z)}. */
public enum Likelihood {
  /** Independent Bernoulli per dimension, the decoder giving logits; x in [0, 1]. */
  BERNOULLI,
  /** Independent Gaussians, the decoder giving means, with a learned variance per dimension. */
  GAUSSIAN;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Likelihood fromId(String id) {
    for (Likelihood l : values()) {
      if (l.id().equalsIgnoreCase(id.trim())) {
        return l;
      }
    }
    throw new IllegalArgumentException("unknown likelihood '" + id + "' (expected bernoulli or gaussian)");
  }
}
