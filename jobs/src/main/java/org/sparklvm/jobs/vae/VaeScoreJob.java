package org.sparklvm.jobs.vae;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.core.vae.DiagonalGaussian;
import org.sparklvm.core.vae.Elbo;
import org.sparklvm.core.vae.ImportanceSampler;
import org.sparklvm.core.vae.Likelihood;
import org.sparklvm.core.vae.VaeArchitecture;
import org.sparklvm.core.vae.VaeModel;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;
import org.sparklvm.jobs.data.OutputColumns;
import org.sparklvm.jobs.store.StoredVae;

/**
 * Per-row inference with a trained VAE, where the rows are: the latent code ({@code zMean}, {@code
 * zLogVar}) or the scores ({@code elbo}, {@code reconstruction}, {@code kl}, and {@code
 * logLikelihood}, the importance-sampled estimate of log p(x), and optionally the {@code anomaly}
 * flag). Every row is checked first (finite,
 * the model's dimension, in [0, 1] for a Bernoulli likelihood).
 */
public final class VaeScoreJob {

  public static final String Z_MEAN = "zMean";
  public static final String Z_LOG_VAR = "zLogVar";
  public static final String ELBO = "elbo";
  public static final String RECONSTRUCTION = "reconstruction";
  public static final String KL = "kl";
  public static final String LOG_LIKELIHOOD = "logLikelihood";
  public static final String ANOMALY = "anomaly";

  private VaeScoreJob() {}

  /** How rows are scored. */
  public record ScoreOptions(int importanceSamples, ImportanceSampler.Proposal proposal,
      int elboSamples, long seed) implements java.io.Serializable {

    /**
     * @throws IllegalArgumentException when a sample count is below 1
     */
    public ScoreOptions {
      if (importanceSamples < 1 || elboSamples < 1) {
        throw new IllegalArgumentException("sample counts must be at least 1, got "
            + importanceSamples + " and " + elboSamples);
      }
    }
  }

  /** A computation on one row with the model rebuilt in its partition. */
  @FunctionalInterface
  private interface RowScorer extends java.io.Serializable {
    Object[] score(VaeModel model, double[] x, Random random);
  }

  /**
   * @throws UserInputException when the input already has {@code zMean} or {@code zLogVar}
   */
  public static StructType encodedSchema(StructType input) {
    return OutputColumns.append(input,
        field(Z_MEAN, SQLDataTypes.VectorType()), field(Z_LOG_VAR, SQLDataTypes.VectorType()));
  }

  public static Dataset<Row> encode(JavaSparkContext sc, StoredVae stored, Dataset<Row> table,
      FeatureColumns columns, String source) {
    StructType schema = encodedSchema(table.schema());
    return perRow(sc, stored, table, columns, source, schema, 0L, (model, x, random) -> {
      DiagonalGaussian q = model.encode(x);
      return new Object[] {Vectors.dense(q.mean()), Vectors.dense(q.logVariance())};
    });
  }

  /**
   * @param anomalyThreshold log-likelihood below which a row is flagged in an {@code anomaly}
   *     column; NaN for no flag
   */
  public static Dataset<Row> score(JavaSparkContext sc, StoredVae stored, Dataset<Row> table,
      FeatureColumns columns, ScoreOptions options, double anomalyThreshold, String source) {
    boolean flag = !Double.isNaN(anomalyThreshold);
    List<StructField> added = new ArrayList<>(List.of(field(ELBO, DataTypes.DoubleType),
        field(RECONSTRUCTION, DataTypes.DoubleType), field(KL, DataTypes.DoubleType),
        field(LOG_LIKELIHOOD, DataTypes.DoubleType)));
    if (flag) {
      added.add(field(ANOMALY, DataTypes.BooleanType));
    }
    StructType schema = OutputColumns.append(table.schema(), added.toArray(new StructField[0]));
    return perRow(sc, stored, table, columns, source, schema, options.seed(),
        (model, x, random) -> {
          Elbo elbo = Elbo.estimate(model, x, options.elboSamples(), random);
          double logLik = ImportanceSampler.estimate(model, x, options.importanceSamples(),
              options.proposal(), random, Math.min(options.importanceSamples(), 1000))
              .logLikelihood();
          return flag
              ? new Object[] {elbo.elbo(), elbo.reconstruction(), elbo.kl(), logLik,
                  logLik < anomalyThreshold}
              : new Object[] {elbo.elbo(), elbo.reconstruction(), elbo.kl(), logLik};
        });
  }

  private static StructField field(String name, org.apache.spark.sql.types.DataType type) {
    return new StructField(name, type, false, Metadata.empty());
  }

  private static Dataset<Row> perRow(JavaSparkContext sc, StoredVae stored, Dataset<Row> table,
      FeatureColumns columns, String source, StructType schema, long seed, RowScorer scorer) {
    VaeArchitecture arch = stored.architecture();
    FeatureColumns checked = arch.likelihood() == Likelihood.BERNOULLI
        ? columns.requireUnitInterval() : columns;
    FeatureData.check(table, checked, arch.inputDim(), source);
    NetworkBroadcast shipped = new NetworkBroadcast(sc, stored.network(), arch);
    int width = table.schema().size();
    MapPartitionsFunction<Row, Row> f = rows -> {
      VaeModel model = shipped.model();
      Random random = new Random(seed * 1_000_003L + TaskContext.getPartitionId());
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row in = rows.next();
          double[] x = checked.features(in);
          if (x.length != arch.inputDim()) {
            throw new UserInputException(
                "a row has " + x.length + " features but the model has " + arch.inputDim());
          }
          Object[] added = scorer.score(model, x, random);
          Object[] out = new Object[width + added.length];
          for (int i = 0; i < width; i++) {
            out[i] = in.get(i);
          }
          System.arraycopy(added, 0, out, width, added.length);
          return RowFactory.create(out);
        }
      };
    };
    return table.mapPartitions(f, Encoders.row(schema));
  }
}
