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
import org.sparklvm.core.vae.RefinementSettings;
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
 * draws from a generator seeded by the seed and the partition. With {@link RefinementSettings}, each
 * row's q(z|x) is first refined on its own ELBO (a block of rows at a time), and the ELBO, the
 * importance-sampling proposal and the code use the refined q.
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
   * @param refinement how each row's q(z|x) is refined before it is used (the ELBO, the proposal
   *     of the importance-sampled estimate with {@code proposal} q(z|x), the code)
   */
  public record Options(int importanceSamples, ImportanceSampler.Proposal proposal,
      int elboSamples, long seed, RefinementSettings refinement) implements java.io.Serializable {

    /** For a scorer that only encodes, with the encoder's q: encoding draws nothing. */
    public static final Options ENCODE_ONLY =
        new Options(1, ImportanceSampler.Proposal.POSTERIOR, 1, 0L);

    /**
     * @throws org.sparklvm.core.settings.InvalidSettingException when a sample count is below 1
     */
    public Options {
      TaskSettings.SCORE_IMPORTANCE_SAMPLES.check(importanceSamples);
      TaskSettings.SCORE_ELBO_SAMPLES.check(elboSamples);
      if (refinement == null) {
        throw new IllegalArgumentException("refinement settings are required");
      }
    }

    /** With the encoder's q(z|x), unrefined. */
    public Options(int importanceSamples, ImportanceSampler.Proposal proposal, int elboSamples,
        long seed) {
      this(importanceSamples, proposal, elboSamples, seed, RefinementSettings.NONE);
    }

    /** For a scorer that only encodes, refining each row's q as {@code refinement} says. */
    public static Options encoding(long seed, RefinementSettings refinement) {
      return new Options(1, ImportanceSampler.Proposal.POSTERIOR, 1, seed, refinement);
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
    // Refinement draws from a generator of its own: unrefined scores keep their draws.
    Random refining = refiningRandom(partition);
    return new Partition() {
      @Override
      public void score(RowBlock block, double[] logLikelihood, Object[][] columns) {
        DiagonalGaussian[] q = posteriors(model, block, refining);
        for (int r = 0; r < block.rows(); r++) {
          double[] x = block.row(r);
          // The ELBO's draws come first, as they always have: seeded scores stay reproducible.
          Elbo elbo = Elbo.estimate(model, x, q[r], options.elboSamples(), random);
          logLikelihood[r] = importanceSampled(model, x, q[r], random);
          columns[r][0] = elbo.elbo();
          columns[r][1] = elbo.reconstruction();
          columns[r][2] = elbo.kl();
        }
      }

      @Override
      public void logLikelihood(RowBlock block, double[] logLikelihood) {
        DiagonalGaussian[] q = posteriors(model, block, refining);
        for (int r = 0; r < block.rows(); r++) {
          logLikelihood[r] = importanceSampled(model, block.row(r), q[r], random);
        }
      }
    };
  }

  private Random refiningRandom(int partition) {
    return new Random((options.seed() * 1_000_003L + partition) ^ 0x5DEECE66DL);
  }

  /** Each row's q(z|x): the encoder's, refined on the whole block when asked. */
  private DiagonalGaussian[] posteriors(VaeModel model, RowBlock block, Random refining) {
    DiagonalGaussian[] q = new DiagonalGaussian[block.rows()];
    double[] x = new double[block.rows() * dim];
    for (int r = 0; r < block.rows(); r++) {
      double[] row = block.row(r);
      q[r] = model.encode(row);
      System.arraycopy(row, 0, x, r * dim, dim);
    }
    return options.refinement().refines()
        ? model.refine(x, q, options.refinement(), refining) : q;
  }

  private double importanceSampled(VaeModel model, double[] x, DiagonalGaussian q,
      Random random) {
    return ImportanceSampler.estimate(model, x,
        options.proposal() == ImportanceSampler.Proposal.POSTERIOR ? q : null,
        options.importanceSamples(), random, Math.min(options.importanceSamples(), CHUNK))
        .logLikelihood();
  }

  /**
   * The latent code of every row, {@value #Z_MEAN} and {@value #Z_LOG_VAR} of q(z|x) (refined when
   * the options say so), after checking every row once.
   *
   * @throws org.sparklvm.jobs.UserInputException naming a bad row, or an output column the input
   *     already has
   */
  public Dataset<Row> encode(Dataset<Row> table, FeatureColumns columns, String source) {
    FeatureData.check(table, constrain(columns), dim, source);
    return BlockMapper.map(table, constrain(columns), dim, codeColumns(), partition -> {
      VaeModel model = shipped.model();
      Random refining = refiningRandom(partition);
      return (block, out) -> {
        DiagonalGaussian[] q = posteriors(model, block, refining);
        for (int r = 0; r < block.rows(); r++) {
          out[r][0] = Vectors.dense(q[r].mean());
          out[r][1] = Vectors.dense(q[r].logVariance());
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
