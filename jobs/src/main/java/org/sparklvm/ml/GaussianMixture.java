package org.sparklvm.ml;

import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.PriorSettings;
import org.sparklvm.core.settings.Setting;
import org.sparklvm.jobs.gmm.MixtureFitJob;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.gmm.MixtureScorer;
import org.sparklvm.jobs.gmm.VariationalMixtureFitJob;
import org.sparklvm.jobs.gmm.WarmStart;
import org.sparklvm.jobs.score.ScoreJob;

/**
 * Spark ML estimator of a Gaussian mixture by distributed EM: the same fit as {@code lvm gmm fit},
 * with the same defaults (both take them from {@link EmSettings}), and its model is the same
 * directory format, so models move freely between notebooks and the command line. {@code
 * featuresCol} defaults to {@code features}. With {@link #setInitialModel} EM runs once from a fitted
 * model, as {@code lvm gmm fit --init-model} does. With {@link #setPrior} the fit is variational
 * Bayes, as {@code lvm gmm fit --prior} (settings from {@link PriorSettings}; those left unset take
 * scikit-learn's data-dependent defaults).
 */
public final class GaussianMixture extends Estimator<GaussianMixtureModel>
    implements FeatureParams, DeclaredParams {

  private static final long serialVersionUID = 1L;

  /** Every declared setting of the estimator: the fit's, then the prior's. */
  static final List<Setting<?>> DECLARED =
      Stream.of(EmSettings.DECLARED, PriorSettings.DECLARED).flatMap(List::stream).toList();

  private final String uid;
  private final IntParam k;
  private final Param<String> covarianceType;
  private final IntParam maxIter;
  private final DoubleParam tol;
  private final DoubleParam regCovar;
  private final Param<String> init;
  private final IntParam nInit;
  private final IntParam dropRestartsAfter;
  private final LongParam seed;
  private final Param<String> prior;
  private final DoubleParam weightConcentration;
  private final DoubleParam meanPrecision;
  private final DoubleArrayParam meanPrior;
  private final DoubleParam degreesOfFreedom;
  private final DoubleArrayParam covariancePrior;
  private final Param<String> featuresCol;
  private final StringArrayParam featureCols;
  private final Param<String> weightCol;
  private GaussianMixtureModel initialModel;

  public GaussianMixture() {
    this(Identifiable$.MODULE$.randomUID("lvmGaussianMixture"));
  }

  public GaussianMixture(String uid) {
    this.uid = uid;
    k = DeclaredParams.intParam(this, EmSettings.K);
    covarianceType = DeclaredParams.stringParam(this, EmSettings.COVARIANCE);
    maxIter = DeclaredParams.intParam(this, EmSettings.MAX_ITER);
    tol = DeclaredParams.doubleParam(this, EmSettings.TOL);
    regCovar = DeclaredParams.doubleParam(this, EmSettings.REG_COVAR);
    init = DeclaredParams.stringParam(this, EmSettings.INIT);
    nInit = DeclaredParams.intParam(this, EmSettings.N_INIT);
    dropRestartsAfter = DeclaredParams.intParam(this, EmSettings.DROP_RESTARTS_AFTER);
    seed = DeclaredParams.longParam(this, EmSettings.SEED);
    prior = DeclaredParams.stringParam(this, PriorSettings.PRIOR);
    weightConcentration = DeclaredParams.doubleParam(this, PriorSettings.WEIGHT_CONCENTRATION);
    meanPrecision = DeclaredParams.doubleParam(this, PriorSettings.MEAN_PRECISION);
    meanPrior = DeclaredParams.doubleArrayParam(this, PriorSettings.MEAN_PRIOR);
    degreesOfFreedom = DeclaredParams.doubleParam(this, PriorSettings.DEGREES_OF_FREEDOM);
    covariancePrior = DeclaredParams.doubleArrayParam(this, PriorSettings.COVARIANCE_PRIOR);
    featuresCol = new Param<>(this, "featuresCol", "vector column of features");
    featureCols = new StringArrayParam(this, "featureCols", "numeric feature columns");
    weightCol = new Param<>(this, "weightCol", "column of non-negative row weights");
    declareDefaults(DECLARED);
    setDefault(featuresCol, "features");
  }

  @Override
  public String uid() {
    return uid;
  }

  public IntParam k() {
    return k;
  }

  public Param<String> covarianceType() {
    return covarianceType;
  }

  public IntParam maxIter() {
    return maxIter;
  }

  public DoubleParam tol() {
    return tol;
  }

  public DoubleParam regCovar() {
    return regCovar;
  }

  public Param<String> init() {
    return init;
  }

  public IntParam nInit() {
    return nInit;
  }

  public IntParam dropRestartsAfter() {
    return dropRestartsAfter;
  }

  public LongParam seed() {
    return seed;
  }

  public Param<String> prior() {
    return prior;
  }

  public DoubleParam weightConcentration() {
    return weightConcentration;
  }

  public DoubleParam meanPrecision() {
    return meanPrecision;
  }

  public DoubleArrayParam meanPrior() {
    return meanPrior;
  }

  public DoubleParam degreesOfFreedom() {
    return degreesOfFreedom;
  }

  public DoubleArrayParam covariancePrior() {
    return covariancePrior;
  }

  @Override
  public Param<String> featuresCol() {
    return featuresCol;
  }

  @Override
  public StringArrayParam featureCols() {
    return featureCols;
  }

  public Param<String> weightCol() {
    return weightCol;
  }

  public GaussianMixture setK(int value) {
    set(k, value);
    return this;
  }

  public GaussianMixture setCovarianceType(String value) {
    set(covarianceType, value);
    return this;
  }

  public GaussianMixture setMaxIter(int value) {
    set(maxIter, value);
    return this;
  }

  public GaussianMixture setTol(double value) {
    set(tol, value);
    return this;
  }

  public GaussianMixture setRegCovar(double value) {
    set(regCovar, value);
    return this;
  }

  public GaussianMixture setInit(String value) {
    set(init, value);
    return this;
  }

  public GaussianMixture setNInit(int value) {
    set(nInit, value);
    return this;
  }

  /**
   * Iterations before a clearly losing initialisation may be dropped (with {@code nInit} above 1);
   * 0 never drops one.
   */
  public GaussianMixture setDropRestartsAfter(int value) {
    set(dropRestartsAfter, value);
    return this;
  }

  public GaussianMixture setSeed(long value) {
    set(seed, value);
    return this;
  }

  /** Fits by variational Bayes with this weight prior ({@code dirichlet-process}, {@code dirichlet}). */
  public GaussianMixture setPrior(String value) {
    set(prior, value);
    return this;
  }

  public GaussianMixture setWeightConcentration(double value) {
    set(weightConcentration, value);
    return this;
  }

  public GaussianMixture setMeanPrecision(double value) {
    set(meanPrecision, value);
    return this;
  }

  public GaussianMixture setMeanPrior(double[] value) {
    set(meanPrior, value);
    return this;
  }

  public GaussianMixture setDegreesOfFreedom(double value) {
    set(degreesOfFreedom, value);
    return this;
  }

  public GaussianMixture setCovariancePrior(double[] value) {
    set(covariancePrior, value);
    return this;
  }

  public GaussianMixture setFeaturesCol(String value) {
    set(featuresCol, value);
    return this;
  }

  public GaussianMixture setFeatureCols(String[] value) {
    set(featureCols, value);
    clear(featuresCol);
    return this;
  }

  public GaussianMixture setWeightCol(String value) {
    set(weightCol, value);
    return this;
  }

  /**
   * Starts EM from {@code model} (once: {@code nInit} does not apply): k and the covariance type are
   * the model's, and so are the feature columns unless {@code featuresCol} or {@code featureCols}
   * is set. The fitted model's {@code params.initModel} names the starting model's uid.
   *
   * @param model a fitted mixture, or null for the usual initialisation
   */
  public GaussianMixture setInitialModel(GaussianMixtureModel model) {
    initialModel = model;
    return this;
  }

  /** The model EM starts from, or null. */
  public GaussianMixtureModel getInitialModel() {
    return initialModel;
  }

  /** The settings these parameters describe. */
  EmSettings settings() {
    return EmSettings.from(declaredValues());
  }

  /**
   * @throws org.sparklvm.jobs.UserInputException when {@code k} or {@code covarianceType} is set
   *     and differs from the initial model's, or the data's dimension does
   * @throws IllegalArgumentException when a prior's parameter is set without {@code prior}, or
   *     {@code prior} with an initial model
   * @throws org.sparklvm.core.settings.InvalidSettingException naming a prior's parameter whose
   *     value does not fit the data
   */
  @Override
  public GaussianMixtureModel fit(Dataset<?> dataset) {
    var table = dataset.toDF();
    PriorSettings bayes = PriorSettings.from(declaredValues());
    if (bayes != null) {
      if (initialModel != null) {
        throw new IllegalArgumentException("prior does not go with an initial model: a"
            + " variational fit starts from k-means++");
      }
      var stored = VariationalMixtureFitJob.fit(table.sparkSession(), table,
          columns(table.schema()), settings(), bayes, "dataset");
      GaussianMixtureModel model = new GaussianMixtureModel(uid, stored);
      model.setParent(this);
      return model;
    }
    WarmStart start = null;
    EmSettings settings;
    if (initialModel == null) {
      settings = settings();
    } else {
      start = new WarmStart(initialModel.mixture(), initialModel.uid());
      settings = start.settings(declaredValues(), isSet(k) ? (Integer) getOrDefault(k) : null,
          isSet(covarianceType) ? getOrDefault(covarianceType) : null);
    }
    FeatureColumns columns = columns(table.schema());
    var stored =
        MixtureFitJob.fit(table.sparkSession(), table, columns, settings, "dataset", start);
    GaussianMixtureModel model = new GaussianMixtureModel(uid, stored);
    model.setParent(this);
    return model;
  }

  /** The feature columns: set here, or else the initial model's, or else the default. */
  private FeatureColumns columns(StructType schema) {
    String weight = isSet(weightCol) ? getOrDefault(weightCol) : null;
    return initialModel == null || isSet(featuresCol) || isSet(featureCols)
        ? resolveColumns(schema, weight) : initialModel.resolveColumns(schema, weight);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    columns(schema);
    return ScoreJob.outputSchema(schema, MixtureScorer.COLUMNS, false);
  }

  @Override
  public GaussianMixture copy(ParamMap extra) {
    return ((GaussianMixture) defaultCopy(extra)).setInitialModel(initialModel);
  }
}
