package org.sparklvm.jobs.score;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.model.QuantileTable;

/**
 * The reference every kind's anomaly flag is measured against, computed one way: log p(x) of a
 * uniform sample of at most {@code maxRows} reference rows, scored where they are by the kind's {@link
 * RowScorer}, and their exact quantiles ({@link QuantileTable}). Kinds differ only in which rows and
 * how many: an exact mixture density is cheap, an importance-sampled VAE likelihood costs K decoder
 * passes a row.
 */
public final class AnomalyReference {

  private AnomalyReference() {}

  /**
   * The log p(x) of at most about {@code maxRows} of {@code rows} (all of them when there are fewer),
   * sampled and scored with generators seeded by {@code seed} and the partition.
   */
  public static double[] logLikelihoods(JavaRDD<RowBlock> rows, RowScorer scorer, int maxRows,
      long seed) {
    long count = rows.map(b -> (long) b.rows()).fold(0L, Long::sum);
    double fraction = count > maxRows ? (double) maxRows / count : 1.0;
    List<double[]> parts = rows.mapPartitionsWithIndex((index, blocks) -> {
      // A stream apart from the scorer's own (seeded by the same seed and partition).
      Random pick = new Random(~(seed * 1_000_003L + index));
      RowScorer.Partition p = scorer.open(index);
      List<double[]> out = new ArrayList<>();
      while (blocks.hasNext()) {
        RowBlock block = blocks.next();
        RowBlock chosen = fraction < 1.0 ? block.bernoulliSample(fraction, pick) : block;
        double[] ll = new double[chosen.rows()];
        p.logLikelihood(chosen, ll);
        out.add(ll);
      }
      return out.iterator();
    }, true).collect();
    return parts.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
  }

  /**
   * The quantile table of {@link #logLikelihoods}.
   *
   * @param rowsFrom which rows they are ({@code training}, {@code validation}), for the summary
   */
  public static QuantileTable of(JavaRDD<RowBlock> rows, RowScorer scorer, int maxRows, long seed,
      String rowsFrom) {
    return QuantileTable.of(logLikelihoods(rows, scorer, maxRows, seed), rowsFrom);
  }
}
