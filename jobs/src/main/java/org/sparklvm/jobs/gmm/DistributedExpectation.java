package org.sparklvm.jobs.gmm;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparklvm.core.gmm.ExpectationMaximization;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.gmm.SufficientStatistics;

/**
 * One E-step over a cluster: the mixture is broadcast, each partition sums the statistics of its
 * blocks, and the partial statistics are merged with {@code treeAggregate} into the driver.
 */
public final class DistributedExpectation implements ExpectationMaximization.ExpectationPass {

  private final JavaRDD<RowBlock> blocks;
  private final int depth;

  public DistributedExpectation(JavaRDD<RowBlock> blocks) {
    this.blocks = blocks;
    // Two levels keep the driver from receiving one statistic per partition on wide inputs.
    this.depth = blocks.getNumPartitions() > 64 ? 3 : 2;
  }

  @Override
  public SufficientStatistics expect(GaussianMixtureModel model) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
    Broadcast<GaussianMixtureModel> current = sc.broadcast(model);
    try {
      SufficientStatistics total = blocks
          .mapPartitions(it -> {
            SufficientStatistics s = new SufficientStatistics(current.value());
            while (it.hasNext()) {
              s.add(it.next());
            }
            return List.of(s).iterator();
          })
          .treeAggregate(null, DistributedExpectation::combine, DistributedExpectation::combine,
              depth);
      return total != null ? total : new SufficientStatistics(model);
    } finally {
      current.destroy();
    }
  }

  private static SufficientStatistics combine(SufficientStatistics a, SufficientStatistics b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a.merge(b);
  }
}
