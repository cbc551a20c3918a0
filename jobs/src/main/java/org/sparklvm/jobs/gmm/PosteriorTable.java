package org.sparklvm.jobs.gmm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.gmm.MixturePrior;
import org.sparklvm.core.gmm.VariationalPosterior;
import org.sparklvm.core.gmm.WeightPrior;
import org.sparklvm.core.model.ModelFormatException;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * A variational posterior as the Parquet table {@code posterior} of a model directory, one row per
 * component: {@code component}, {@code weightConcentration} (the stick's {@code [a_k, b_k]} for a
 * Dirichlet process, {@code [alpha_k]} for a Dirichlet), {@code meanPrecision} (beta_k), {@code
 * mean} (m_k), {@code degreesOfFreedom} (nu_k) and {@code covariance} ({@code (nu_k W_k)^-1},
 * row-major {@code d x d}), scikit-learn's fitted attributes of those names. The prior is in {@code
 * metadata.json}.
 */
final class PosteriorTable {

  static final StructType SCHEMA = new StructType()
      .add("component", DataTypes.IntegerType, false)
      .add("weightConcentration", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
      .add("meanPrecision", DataTypes.DoubleType, false)
      .add("mean", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
      .add("degreesOfFreedom", DataTypes.DoubleType, false)
      .add("covariance", DataTypes.createArrayType(DataTypes.DoubleType, false), false);

  /**
   * How far the stored components may be from the posterior's expected mixture, relative to the
   * larger magnitude: they are computed from it, so only the Parquet round trip (exact) and
   * renormalisation of the weights separate them.
   */
  private static final double AGREEMENT = 1e-9;

  private PosteriorTable() {}

  static void write(SparkSession spark, VariationalPosterior posterior, Path path) {
    double[][] concentration = posterior.weightConcentration();
    double[] beta = posterior.meanPrecision();
    double[][] means = posterior.means();
    double[] nu = posterior.degreesOfFreedom();
    double[][] covs = posterior.covariances();
    List<Row> rows = new ArrayList<>();
    for (int c = 0; c < posterior.k(); c++) {
      double[] gamma = new double[concentration.length];
      for (int r = 0; r < gamma.length; r++) {
        gamma[r] = concentration[r][c];
      }
      rows.add(RowFactory.create(c, boxed(gamma), beta[c], boxed(means[c]), nu[c],
          boxed(covs[c])));
    }
    spark.createDataFrame(rows, SCHEMA).coalesce(1).write().parquet(path.toString());
  }

  /**
   * Reads the posterior of a model whose metadata holds {@code prior} and {@code k}, and checks that
   * the stored components are its expected mixture.
   *
   * @throws ModelFormatException naming the table and what is wrong: missing, a component missing
   *     or repeated, a concentration row of the wrong length for the weight prior, arrays of the
   *     wrong shape, values out of range, or components that are not the posterior's expectation
   */
  static VariationalPosterior read(SparkSession spark, String path, MixturePrior prior, int k,
      GaussianMixtureModel components) {
    List<Row> rows;
    try {
      rows = spark.read().parquet(path).collectAsList();
    } catch (Exception e) {
      // Spark's AnalysisException (a missing path) is checked in Java's eyes, hence Exception.
      throw new ModelFormatException("cannot read the variational posterior " + path + ": "
          + e.getMessage(), e);
    }
    if (rows.size() != k) {
      throw new ModelFormatException(path + " holds " + rows.size() + " components but the model"
          + " has k = " + k);
    }
    int sticks = prior.weightPrior() == WeightPrior.DIRICHLET_PROCESS ? 2 : 1;
    double[][] concentration = new double[sticks][k];
    double[] beta = new double[k];
    double[][] means = new double[k][];
    double[] nu = new double[k];
    double[][] covs = new double[k][];
    boolean[] seen = new boolean[k];
    VariationalPosterior posterior;
    try {
      for (Row r : rows) {
        int c = r.getInt(r.fieldIndex("component"));
        if (c < 0 || c >= k || seen[c]) {
          throw new ModelFormatException(path + " has a bad or repeated component index " + c);
        }
        seen[c] = true;
        double[] gamma = unboxed(r.getList(r.fieldIndex("weightConcentration")));
        if (gamma.length != sticks) {
          throw new ModelFormatException(path + ": component " + c + " has " + gamma.length
              + " weight concentrations, a " + prior.weightPrior().id() + " prior has " + sticks);
        }
        for (int s = 0; s < sticks; s++) {
          concentration[s][c] = gamma[s];
        }
        beta[c] = r.getDouble(r.fieldIndex("meanPrecision"));
        means[c] = unboxed(r.getList(r.fieldIndex("mean")));
        nu[c] = r.getDouble(r.fieldIndex("degreesOfFreedom"));
        covs[c] = unboxed(r.getList(r.fieldIndex("covariance")));
      }
      posterior = VariationalPosterior.of(prior, concentration, beta, means, nu, covs);
    } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
      throw new ModelFormatException(path + ": " + e.getMessage(), e);
    }
    checkAgreement(posterior.expectedMixture(), components, path);
    return posterior;
  }

  /** The components must be the posterior's expected mixture, or scoring would not be its. */
  private static void checkAgreement(GaussianMixtureModel expected, GaussianMixtureModel stored,
      String path) {
    if (expected.dim() != stored.dim()) {
      throw new ModelFormatException(path + ": the posterior has dimension " + expected.dim()
          + " but the components " + stored.dim());
    }
    for (int c = 0; c < stored.k(); c++) {
      String what = agree(new double[] {expected.weights()[c]},
          new double[] {stored.weights()[c]}) ? agree(expected.mean(c), stored.mean(c))
              ? agree(expected.covariance(c), stored.covariance(c)) ? null : "covariance"
              : "mean" : "weight";
      if (what != null) {
        throw new ModelFormatException(path + ": component " + c + "'s " + what + " is not the"
            + " posterior's expected " + what + ": the components and the posterior disagree");
      }
    }
  }

  private static boolean agree(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      double scale = Math.max(1.0, Math.max(Math.abs(a[i]), Math.abs(b[i])));
      if (!(Math.abs(a[i] - b[i]) <= AGREEMENT * scale)) {
        return false;
      }
    }
    return true;
  }

  private static Seq<Double> boxed(double[] values) {
    return JavaConverters.asScalaBuffer(Arrays.stream(values).boxed().toList()).toSeq();
  }

  private static double[] unboxed(List<Object> values) {
    return values.stream().mapToDouble(v -> (Double) v).toArray();
  }
}
