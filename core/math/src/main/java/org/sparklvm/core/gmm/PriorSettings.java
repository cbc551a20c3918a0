package org.sparklvm.core.gmm;

import static org.sparklvm.core.settings.Setting.Range.greaterThan;

import java.io.Serializable;
import java.util.List;
import org.sparklvm.core.settings.Setting;

/**
 * The prior a variational Bayesian mixture fit was asked for ({@code lvm gmm fit --prior}, {@code
 * org.sparklvm.ml.GaussianMixture.setPrior}): declared here once, as {@link EmSettings} declares the
 * fit's other settings. Each value left unset takes scikit-learn's default when the data is known
 * ({@link MixturePrior#withDefaults}), which is why none is declared here: the defaults depend on
 * {@code k} and on the data.
 *
 * @param weightPrior the weight prior; never null (no prior is no {@code PriorSettings})
 * @param weightConcentration gamma_0, or null for {@code 1/k}
 * @param meanPrecision beta_0, or null for 1
 * @param meanPrior m_0, or null for the data mean
 * @param degreesOfFreedom nu_0, or null for the dimension
 * @param covariancePrior Psi_0 in the covariance type's layout, or null for the data covariance
 */
public record PriorSettings(
    WeightPrior weightPrior,
    Double weightConcentration,
    Double meanPrecision,
    double[] meanPrior,
    Double degreesOfFreedom,
    double[] covariancePrior) implements Serializable {

  private static final long serialVersionUID = 1L;

  public static final Setting<String> PRIOR = Setting.choice("--prior", "prior", null,
      WeightPrior.ids(), "Fit a variational Bayesian mixture with this weight prior (as"
          + " scikit-learn's BayesianGaussianMixture), --k being the most components"
          + " (default: none, maximum likelihood by EM)");
  public static final Setting<Double> WEIGHT_CONCENTRATION = Setting.real(
      "--weight-concentration", "weightConcentration", null, greaterThan(0),
      "With --prior: concentration gamma_0 of the weight prior (default: 1/k)");
  public static final Setting<Double> MEAN_PRECISION = Setting.real("--mean-precision",
      "meanPrecision", null, greaterThan(0),
      "With --prior: precision beta_0 of the mean prior (default: 1)");
  public static final Setting<double[]> MEAN_PRIOR = Setting.reals("--mean-prior", "meanPrior",
      "With --prior: mean m_0 of the mean prior, one value per dimension, comma separated"
          + " (default: the data mean)");
  public static final Setting<Double> DEGREES_OF_FREEDOM = Setting.real("--degrees-of-freedom",
      "degreesOfFreedom", null, greaterThan(0), "With --prior: degrees of freedom nu_0 of the"
          + " Wishart prior, greater than the dimension - 1 (default: the dimension)");
  public static final Setting<double[]> COVARIANCE_PRIOR = Setting.reals("--covariance-prior",
      "covariancePrior", "With --prior: covariance prior W_0^-1, comma separated: d x d row-major"
          + " (full, tied), d variances (diag) or one (spherical) (default: the data covariance,"
          + " its diagonal, or the mean of its diagonal)");

  /** Every setting of the prior, {@link #PRIOR} first. */
  public static final List<Setting<?>> DECLARED = List.of(PRIOR, WEIGHT_CONCENTRATION,
      MEAN_PRECISION, MEAN_PRIOR, DEGREES_OF_FREEDOM, COVARIANCE_PRIOR);

  /** The settings that only mean something with {@link #PRIOR}. */
  public static final List<Setting<?>> WITH_PRIOR = DECLARED.subList(1, DECLARED.size());

  /**
   * @throws IllegalArgumentException when the weight prior is missing
   */
  public PriorSettings {
    if (weightPrior == null) {
      throw new IllegalArgumentException("a prior needs its weight prior");
    }
    meanPrior = meanPrior == null ? null : meanPrior.clone();
    covariancePrior = covariancePrior == null ? null : covariancePrior.clone();
  }

  /**
   * The prior a command line or an estimator holds, or null when it asks for none (a maximum
   * likelihood fit).
   *
   * @throws IllegalArgumentException naming the prior's settings that were given without {@link
   *     #PRIOR}
   */
  public static PriorSettings from(Setting.Values values) {
    String prior = values.get(PRIOR);
    if (prior == null) {
      List<String> stray = WITH_PRIOR.stream().filter(s -> values.get(s) != null)
          .map(Setting::label).toList();
      if (!stray.isEmpty()) {
        throw new IllegalArgumentException(String.join(", ", stray) + " go"
            + (stray.size() == 1 ? "es" : "") + " with " + PRIOR.label() + " ("
            + String.join(" or ", WeightPrior.ids()) + ")");
      }
      return null;
    }
    return new PriorSettings(WeightPrior.fromId(prior), values.get(WEIGHT_CONCENTRATION),
        values.get(MEAN_PRECISION), values.get(MEAN_PRIOR), values.get(DEGREES_OF_FREEDOM),
        values.get(COVARIANCE_PRIOR));
  }

  /**
   * The prior for data of this mean and covariance, scikit-learn's defaults for the unset values.
   *
   * @param dataMean the weighted mean of the training rows
   * @param dataCovariance their weighted covariance with divisor {@code n - 1}, row-major
   * @throws org.sparklvm.core.settings.InvalidSettingException naming the option of a value that
   *     does not fit the data (a mean prior of the wrong length, too few degrees of freedom, a
   *     covariance prior of the wrong size or not positive definite)
   */
  public MixturePrior resolve(CovarianceType type, int k, double[] dataMean,
      double[] dataCovariance) {
    return MixturePrior.withDefaults(weightPrior, type, k, dataMean, dataCovariance,
        weightConcentration, meanPrecision, meanPrior, degreesOfFreedom, covariancePrior);
  }

  @Override
  public double[] meanPrior() {
    return meanPrior == null ? null : meanPrior.clone();
  }

  @Override
  public double[] covariancePrior() {
    return covariancePrior == null ? null : covariancePrior.clone();
  }
}
