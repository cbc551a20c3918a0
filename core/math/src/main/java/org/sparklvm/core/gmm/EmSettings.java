package org.sparklvm.core.gmm;

import static org.sparklvm.core.settings.Setting.Range.atLeast;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.sparklvm.core.settings.Setting;

/**
 * Hyper-parameters of one mixture fit: declared here once (name, default, range, description) for
 * {@code lvm gmm fit}, {@code lvm gmm select} and {@code org.sparklvm.ml.GaussianMixture}, and
 * validated here.
 *
 * @param k number of components
 * @param covarianceType covariance family
 * @param maxIterations most EM iterations (M-steps)
 * @param tolerance stop when the mean log-likelihood per unit weight changes by less; 0 never stops
 *     early
 * @param regCovar constant added to every covariance diagonal
 * @param init how to choose the starting mixture
 * @param restarts independent initialisations, the best final log-likelihood kept
 * @param dropRestartsAfter iterations before a clearly losing restart may be dropped ({@link
 *     RestartPruning}); 0 never drops one
 * @param seed seed of every random choice; restart {@code i} uses {@code seed + i}
 */
public record EmSettings(
    int k,
    CovarianceType covarianceType,
    int maxIterations,
    double tolerance,
    double regCovar,
    Initialization init,
    int restarts,
    int dropRestartsAfter,
    long seed) implements Serializable {

  public static final Setting<Integer> K =
      Setting.integer("--k", "k", 2, atLeast(1), "Number of components");
  public static final Setting<String> COVARIANCE = Setting.choice("--covariance", "covarianceType",
      CovarianceType.FULL.id(), CovarianceType.ids(), "Covariance family");
  public static final Setting<Integer> MAX_ITER =
      Setting.integer("--max-iter", "maxIter", 100, atLeast(1), "Most EM iterations");
  public static final Setting<Double> TOL = Setting.real("--tol", "tol", 1e-3, atLeast(0),
      "Stop when the mean log-likelihood per row changes by less, 0 running every iteration");
  public static final Setting<Double> REG_COVAR = Setting.real("--reg-covar", "regCovar", 1e-6,
      atLeast(0), "Added to every covariance diagonal");
  public static final Setting<String> INIT = Setting.choice("--init", "init",
      Initialization.KMEANS_PLUS_PLUS.id(),
      Arrays.stream(Initialization.values()).map(Initialization::id).toList(),
      "How the starting mixture is chosen");
  public static final Setting<Integer> N_INIT = Setting.integer("--n-init", "nInit", 1, atLeast(1),
      "Initialisations, the best final log-likelihood kept");
  public static final Setting<Integer> DROP_RESTARTS_AFTER = Setting.integer(
      "--drop-restarts-after", "dropRestartsAfter", 5, atLeast(0),
      "Iterations before a clearly losing initialisation may be dropped, 0 never dropping");
  public static final Setting<Long> SEED =
      Setting.seed("Seed of every random choice, initialisation i using seed + i");

  /** Every setting of a mixture fit, in the order of the record. */
  public static final List<Setting<?>> DECLARED =
      List.of(K, COVARIANCE, MAX_ITER, TOL, REG_COVAR, INIT, N_INIT, DROP_RESTARTS_AFTER, SEED);

  /** The declared defaults (scikit-learn's, but the seed) with {@code k} components. */
  public static EmSettings defaults(int k) {
    return from(Setting::defaultValue).withK(k);
  }

  /**
   * The settings a command line or an estimator holds.
   *
   * @throws IllegalArgumentException naming the first value out of range
   */
  public static EmSettings from(Setting.Values values) {
    return new EmSettings(values.get(K), CovarianceType.fromId(values.get(COVARIANCE)),
        values.get(MAX_ITER), values.get(TOL), values.get(REG_COVAR),
        Initialization.fromId(values.get(INIT)), values.get(N_INIT),
        values.get(DROP_RESTARTS_AFTER), values.get(SEED));
  }

  /**
   * The settings with the declared {@code --drop-restarts-after}.
   *
   * @throws org.sparklvm.core.settings.InvalidSettingException naming the first value out of range
   */
  public EmSettings(int k, CovarianceType covarianceType, int maxIterations, double tolerance,
      double regCovar, Initialization init, int restarts, long seed) {
    this(k, covarianceType, maxIterations, tolerance, regCovar, init, restarts,
        DROP_RESTARTS_AFTER.defaultValue(), seed);
  }

  /**
   * @throws org.sparklvm.core.settings.InvalidSettingException naming the first value out of range
   */
  public EmSettings {
    K.check(k);
    if (covarianceType == null || init == null) {
      throw new IllegalArgumentException("covariance type and initialisation are required");
    }
    MAX_ITER.check(maxIterations);
    TOL.check(tolerance);
    REG_COVAR.check(regCovar);
    N_INIT.check(restarts);
    DROP_RESTARTS_AFTER.check(dropRestartsAfter);
  }

  /** The rule that drops clearly losing restarts, {@link RestartPruning#NONE} at 0. */
  public RestartPruning pruning() {
    return RestartPruning.after(dropRestartsAfter);
  }

  public EmSettings withK(int newK) {
    return new EmSettings(newK, covarianceType, maxIterations, tolerance, regCovar, init, restarts,
        dropRestartsAfter, seed);
  }

  public EmSettings withCovarianceType(CovarianceType type) {
    return new EmSettings(k, type, maxIterations, tolerance, regCovar, init, restarts,
        dropRestartsAfter, seed);
  }

  /** How the starting mixture is chosen. */
  public enum Initialization {
    /** k-means++ seeding and Lloyd iterations on a sample, then one M-step on the hard assignment. */
    KMEANS_PLUS_PLUS("kmeans++"),
    /** k distinct sampled rows as means, the sample covariance for every component, equal weights. */
    RANDOM("random");

    private final String id;

    Initialization(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    /**
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Initialization fromId(String id) {
      for (Initialization i : values()) {
        if (i.id.equalsIgnoreCase(id.trim())) {
          return i;
        }
      }
      throw new IllegalArgumentException("unknown initialisation '" + id + "' (expected kmeans++ or random)");
    }
  }
}
