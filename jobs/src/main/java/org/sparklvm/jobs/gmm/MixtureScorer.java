package org.sparklvm.jobs.gmm;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.jobs.score.RowScorer;
import org.sparklvm.jobs.score.ScoreJob;

/**
 * A mixture's scores: the exact log p(x) (log-sum-exp over components), the MAP component ({@value
 * #PREDICTION}) and the responsibilities ({@value #PROBABILITY}), a block at a time as in training.
 *
 * @param model the mixture
 */
public record MixtureScorer(GaussianMixtureModel model) implements RowScorer {

  public static final String PREDICTION = "prediction";
  public static final String PROBABILITY = "probability";
  /** The columns a mixture adds besides log p(x). */
  public static final List<StructField> COLUMNS = List.of(
      ScoreJob.field(PREDICTION, DataTypes.IntegerType),
      ScoreJob.field(PROBABILITY, SQLDataTypes.VectorType()));

  @Override
  public int dim() {
    return model.dim();
  }

  @Override
  public List<StructField> columns() {
    return COLUMNS;
  }

  @Override
  public Partition open(int partition) {
    int k = model.k();
    return new Partition() {
      @Override
      public void score(RowBlock block, double[] logLikelihood, Object[][] columns) {
        double[] resp = new double[block.rows() * k];
        model.evaluate(block, logLikelihood, resp);
        for (int r = 0; r < block.rows(); r++) {
          double[] p = Arrays.copyOfRange(resp, r * k, (r + 1) * k);
          int best = 0;
          for (int c = 1; c < k; c++) {
            if (p[c] > p[best]) {
              best = c;
            }
          }
          columns[r][0] = best;
          columns[r][1] = Vectors.dense(p);
        }
      }

      @Override
      public void logLikelihood(RowBlock block, double[] logLikelihood) {
        model.evaluate(block, logLikelihood, null);
      }
    };
  }
}
