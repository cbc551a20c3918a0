package org.sparklvm.core.vae;

import java.util.Locale;

/**
 * What a VAE is trained to maximise, with {@code K} draws {@code z_k ~ q(z|x)} per row ({@code
 * --samples}).
 */
public enum Objective {
  /**
   * The ELBO, {@code (1/K) sum_k log p(x|z_k) - KL(q(z|x) || p(z))} (KL in closed form): the average
   * of K single-draw estimates, no tighter for larger K.
   */
  ELBO,
  /**
   * The importance-weighted bound of Burda, Grosse and Salakhutdinov (2016), {@code log (1/K) sum_k
   * p(x, z_k) / q(z_k|x)}: the ELBO at K = 1, tighter as K grows, {@code log p(x)} in the limit.
   */
  IWAE;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Objective fromId(String id) {
    for (Objective o : values()) {
      if (o.id().equalsIgnoreCase(id.trim())) {
        return o;
      }
    }
    throw new IllegalArgumentException("unknown objective '" + id + "' (expected elbo or iwae)");
  }
}
