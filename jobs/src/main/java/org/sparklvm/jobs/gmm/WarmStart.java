package org.sparklvm.jobs.gmm;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.model.ModelFormatException;
import org.sparklvm.core.model.MixtureSummary;
import org.sparklvm.core.settings.Setting;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.store.ModelStore;
import org.sparklvm.jobs.store.StoredModel;

/**
 * A fit that starts EM from a fitted mixture (yesterday's model, say) instead of k-means++: k and the
 * covariance type are the model's, and EM runs once from it, so {@code nInit} does not apply (it is
 * logged and stored as 1).
 *
 * @param model the starting mixture
 * @param origin where it came from (a model directory's path), stored as the fit's {@code initModel}
 * @param featuresCol the vector column the model was fitted on, or null
 * @param featureCols the numeric columns the model was fitted on, or empty
 */
public record WarmStart(GaussianMixtureModel model, String origin, String featuresCol,
    List<String> featureCols) {

  private static final Logger LOG = LoggerFactory.getLogger(WarmStart.class);

  /**
   * @throws IllegalArgumentException when either is missing
   */
  public WarmStart {
    if (model == null || origin == null) {
      throw new IllegalArgumentException("a warm start needs a model and where it came from");
    }
    featureCols = List.copyOf(featureCols);
  }

  /** A start from a mixture whose feature columns are the caller's business. */
  public WarmStart(GaussianMixtureModel model, String origin) {
    this(model, origin, null, List.of());
  }

  /**
   * Reads the mixture model directory at {@code path}.
   *
   * @param option the option that named it, for messages ({@code --init-model})
   * @throws UserInputException when there is nothing at {@code path}, or it is not a mixture model
   *     (another kind, a newer format, a damaged directory), naming the path and the problem
   */
  public static WarmStart load(SparkSession spark, String option, String path) {
    if (!exists(spark, path)) {
      throw new UserInputException(option + " " + path + " does not exist");
    }
    return of(spark, option, path);
  }

  /** {@link #load}, or null (a cold start) when there is nothing at {@code path}. */
  public static WarmStart loadIfExists(SparkSession spark, String option, String path) {
    return exists(spark, path) ? of(spark, option, path) : null;
  }

  private static WarmStart of(SparkSession spark, String option, String path) {
    try {
      StoredModel<GaussianMixtureModel, MixtureSummary> stored =
          ModelStore.load(spark, MixtureKind.INSTANCE, path);
      return new WarmStart(stored.model(), path, stored.featuresCol(), stored.featureCols());
    } catch (ModelFormatException e) {
      throw new UserInputException(option + " " + path + " is not a usable mixture model: "
          + e.getMessage(), e);
    }
  }

  private static boolean exists(SparkSession spark, String path) {
    Path p = new Path(path);
    try {
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
    } catch (IOException e) {
      throw new UserInputException("cannot look for the initial model " + path + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * The settings of a fit from this start: {@code asked}'s, but k and the covariance type are the
   * model's and there is one run.
   *
   * @param k the k asked for explicitly, or null
   * @param covariance the covariance type asked for explicitly, or null
   * @throws UserInputException when an explicit k or covariance type differs from the model's,
   *     naming both
   */
  public EmSettings settings(Setting.Values asked, Integer k, String covariance) {
    if (k != null && k != model.k()) {
      throw new UserInputException(EmSettings.K.label() + " " + k
          + " differs from the initial model's k = " + model.k() + " (" + origin
          + "); leave it out to take the model's");
    }
    if (covariance != null && CovarianceType.fromId(covariance) != model.covarianceType()) {
      throw new UserInputException(EmSettings.COVARIANCE.label() + " " + covariance
          + " differs from the initial model's covariance type " + model.covarianceType().id()
          + " (" + origin + "); leave it out to take the model's");
    }
    int restarts = asked.get(EmSettings.N_INIT);
    if (restarts > 1) {
      LOG.info("{} {} ignored: a warm start runs EM once, from {}", EmSettings.N_INIT.label(),
          restarts, origin);
    }
    return EmSettings.from(new Setting.Values() {
      @Override
      public <T> T get(Setting<T> s) {
        return s == EmSettings.K ? s.type().cast(model.k())
            : s == EmSettings.COVARIANCE ? s.type().cast(model.covarianceType().id())
            : s == EmSettings.N_INIT ? s.type().cast(1)
            : asked.get(s);
      }
    });
  }

  /**
   * Checks that named numeric feature columns are as many as the model's dimension (a vector
   * column's length is checked on every row as the data is read).
   *
   * @throws UserInputException naming both dimensions
   */
  public void checkColumns(FeatureColumns columns) {
    int d = columns.numericColumns().size();
    if (columns.vectorColumn() == null && d != model.dim()) {
      throw new UserInputException("the initial model " + origin + " has dimension " + model.dim()
          + " but the input's feature columns " + columns.numericColumns() + " are " + d);
    }
  }
}
