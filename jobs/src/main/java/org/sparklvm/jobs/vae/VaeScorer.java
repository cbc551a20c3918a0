package org.sparklvm.jobs.vae;

import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.settings.TaskSettings;
import org.sparklvm.core.vae.DiagonalGaussian;
import org.sparklvm.core.vae.Elbo;
import org.sparklvm.core.vae.ImportanceSampler;
import org.sparklvm.core.vae.Likelihood;
import org.sparklvm.core.vae.VaeModel;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;
import org.sparklvm.jobs.score.BlockMapper;
import org.sparklvm.jobs.score.RowScorer;
import org.sparklvm.jobs.score.ScoreJob;

/**
 * A VAE's scores: log p(x) estimated by importance sampling, log (1/K) sum_k p(x, z_k)/q(z_k|x)
 * (log-sum-exp, streamed in chunks), and the ELBO with its terms ({@value #ELBO}, {@value
 * #RECONSTRUCTION}, {@value #KL}). The network is broadcast once; each partition rebuilds it and
 * draws from a generator seeded by the seed and the partition.
 */
public final class VaeScorer implements RowScorer, AutoCloseable {

  private static final long serialVersionUID = 1L;

  public static final String ELBO = "elbo";
  public static final String RECONSTRUCTION = "reconstruction";
  public static final String KL = "kl";
  public static final String Z_MEAN = "zMean";
  public static final String Z_LOG_VAR = "zLogVar";
  /** Importance-sampling draws decoded at once. */
  private static final int CHUNK = 1000;

  /**
   * How rows are scored.
   *
   * @param importanceSamples K draws per row of the log-likelihood estimate
   * @param proposal q(z|x) (the IWAE estimate) or the prior (naive Monte Carlo)
   * @param elboSamples draws per row of the ELBO's reconstruction term
   * @param seed seed of the draws
   */
  public record Options(int importanceSamples, ImportanceSampler.Proposal proposal,
      int elboSamples, long seed) implements java.io.Serializable {

    /** For a scorer that only encodes: encoding draws nothing. */
    public static final Options ENCODE_ONLY =
        new Options(1, ImportanceSampler.Proposal.POSTERIOR, 1, 0L);

    /**
     * @throws org.sparklvm.core.settings.InvalidSettingException when a sample count is below 1
     */
    public Options {
      TaskSettings.SCORE_IMPORTANCE_SAMPLES.check(importanceSamples);
      TaskSettings.SCORE_ELBO_SAMPLES.check(elboSamples);
    }
  }

  private final NetworkBroadcast shipped;
  private final int dim;
  private final boolean bernoulli;
  private final Options options;

  public VaeScorer(JavaSparkContext sc, TrainedVae vae, Options options) {
    this.shipped = new NetworkBroadcast(sc, vae.network(), vae.architecture());
    this.dim = vae.architecture().inputDim();
    this.bernoulli = vae.architecture().likelihood() == Likelihood.BERNOULLI;
    this.options = options;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public List<StructField> columns() {
    return List.of(ScoreJob.field(ELBO, DataTypes.DoubleType),
        ScoreJob.field(RECONSTRUCTION, DataTypes.DoubleType),
        ScoreJob.field(KL, DataTypes.DoubleType));
  }

  @Override
  public FeatureColumns constrain(FeatureColumns columns) {
    return bernoulli ? columns.requireUnitInterval() : columns;
  }

  @Override
  public Partition open(int partition) {
    VaeModel model = shipped.model();
    Random random = new Random(options.seed() * 1_000_003L + partition);
    return new Partition() {
      @Override
      public void score(RowBlock block, double[] logLikelihood, Object[][] columns) {
        for (int r = 0; r < block.rows(); r++) {
          double[] x = block.row(r);
          // The ELBO's draws come first, as they always have: seeded scores stay reproducible.
          Elbo elbo = Elbo.estimate(model, x, options.elboSamples(), random);
          logLikelihood[r] = importanceSampled(model, x, random);
          columns[r][0] = elbo.elbo();
          columns[r][1] = elbo.reconstruction();
          columns[r][2] = elbo.kl();
        }
      }

      @Override
      public void logLikelihood(RowBlock block, double[] logLikelihood) {
        for (int r = 0; r < block.rows(); r++) {
          logLikelihood[r] = importanceSampled(model, block.row(r), random);
        }
      }
    };
  }

  private double importanceSampled(VaeModel model, double[] x, Random random) {
    return ImportanceSampler.estimate(model, x, options.importanceSamples(), options.proposal(),
        random, Math.min(options.importanceSamples(), CHUNK)).logLikelihood();
  }

  /**
   * The latent code of every row, {@value #Z_MEAN} and {@value #Z_LOG_VAR} of q(z|x), after checking
   * every row once.
   *
   * @throws org.sparklvm.jobs.UserInputException naming a bad row, or an output column the input
   *     already has
   */
  public Dataset<Row> encode(Dataset<Row> table, FeatureColumns columns, String source) {
    FeatureData.check(table, constrain(columns), dim, source);
    return BlockMapper.map(table, constrain(columns), dim, codeColumns(), partition -> {
      VaeModel model = shipped.model();
      return (block, out) -> {
        for (int r = 0; r < block.rows(); r++) {
          DiagonalGaussian q = model.encode(block.row(r));
          out[r][0] = Vectors.dense(q.mean());
          out[r][1] = Vectors.dense(q.logVariance());
        }
      };
    });
  }

  /** Frees the broadcast network, once nothing scored with it is computed any more. */
  @Override
  public void close() {
    shipped.close();
  }

  /** The columns {@link #encode} adds. */
  public static List<StructField> codeColumns() {
    return List.of(ScoreJob.field(Z_MEAN, SQLDataTypes.VectorType()),
        ScoreJob.field(Z_LOG_VAR, SQLDataTypes.VectorType()));
  }
}
