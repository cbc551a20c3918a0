package org.sparklvm.core.gmm;

import java.util.Arrays;
import java.util.List;

/**
 * The prior over a Bayesian mixture's weights, as scikit-learn's {@code
 * weight_concentration_prior_type} names them.
 *
 * <ul>
 *   <li>{@link #DIRICHLET_PROCESS}: a Dirichlet process truncated at {@code k} sticks, {@code pi_k =
 *       v_k prod_{j<k} (1 - v_j)} with {@code v_k ~ Beta(1, gamma)} (Blei and Jordan 2006,
 *       "Variational inference for Dirichlet process mixtures", Bayesian Analysis 1(1)); the posterior
 *       of each stick is {@code Beta(1 + N_k, gamma + sum_{j>k} N_j)}.
 *   <li>{@link #DIRICHLET}: a symmetric Dirichlet {@code Dir(alpha_0, ..., alpha_0)} over {@code k}
 *       weights (Bishop, PRML 10.2, eq. 10.39), posterior {@code Dir(alpha_0 + N_k)}.
 * </ul>
 */
public enum WeightPrior {
  DIRICHLET_PROCESS("dirichlet-process"),
  DIRICHLET("dirichlet");

  private final String id;

  WeightPrior(String id) {
    this.id = id;
  }

  /** The name on the command line and in model metadata. */
  public String id() {
    return id;
  }

  /** Every prior's {@link #id}, in declaration order. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(WeightPrior::id).toList();
  }

  /**
   * @throws IllegalArgumentException naming the accepted ids when {@code id} is none of them
   */
  public static WeightPrior fromId(String id) {
    for (WeightPrior p : values()) {
      if (id != null && p.id.equalsIgnoreCase(id.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown weight prior '" + id + "' (expected "
        + String.join(" or ", ids()) + ")");
  }
}
