package org.sparklvm.jobs.score;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.jobs.data.FeatureColumns;

/**
 * How one kind of model scores rows where they are: log p(x) per row (exact for mixtures, estimated
 * for VAEs) and the kind's own columns (responsibilities, ELBO terms, ...). Shipped to the executors,
 * where each partition opens its own {@link Partition} (a VAE rebuilds its network there once).
 */
public interface RowScorer extends Serializable {

  /** The dimension of the rows the model describes. */
  int dim();

  /** The kind's own output columns, in the order {@link Partition#score} fills them. */
  List<StructField> columns();

  /** The feature columns with the kind's own constraints on their values (a Bernoulli VAE's [0, 1]). */
  default FeatureColumns constrain(FeatureColumns columns) {
    return columns;
  }

  /**
   * The scorer of one partition.
   *
   * @param partition the partition's index, for seeding random estimates reproducibly
   */
  Partition open(int partition);

  /** Scores blocks of one partition, in order. */
  interface Partition {

    /**
     * Fills {@code logLikelihood[r]} with log p(x_r) and {@code columns[r]} with the row's own
     * columns.
     */
    void score(RowBlock block, double[] logLikelihood, Object[][] columns);

    /** Fills {@code logLikelihood[r]} with log p(x_r) alone. */
    void logLikelihood(RowBlock block, double[] logLikelihood);
  }
}
