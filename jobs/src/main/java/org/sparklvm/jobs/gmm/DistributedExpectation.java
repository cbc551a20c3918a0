package org.sparklvm.jobs.gmm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.gmm.ExpectationMaximization;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.gmm.SufficientStatistics;

/**
 * One E-step over a cluster: the mixture is broadcast, each partition sums the statistics of its
 * blocks, and the partial statistics are merged with {@code treeAggregate} into the driver.
 * {@link #expectAll} does the same for several mixtures in one pass: each block, once read, is added
 * to the statistics of every mixture, and the per-partition arrays are merged element by element.
 */
public final class DistributedExpectation
    implements ExpectationMaximization.ExpectationPass, ExpectationMaximization.MultiPass {

  private final JavaRDD<RowBlock> blocks;
  private final int depth;

  public DistributedExpectation(JavaRDD<RowBlock> blocks) {
    this.blocks = blocks;
    // Two levels keep the driver from receiving one statistic per partition on wide inputs.
    this.depth = blocks.getNumPartitions() > 64 ? 3 : 2;
  }

  @Override
  public SufficientStatistics expect(GaussianMixtureModel model) {
    return expectAll(List.of(model)).get(0);
  }

  @Override
  public List<SufficientStatistics> expectAll(List<GaussianMixtureModel> models) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
    Broadcast<GaussianMixtureModel[]> current =
        sc.broadcast(models.toArray(new GaussianMixtureModel[0]));
    try {
      SufficientStatistics[] total = blocks
          .mapPartitions(it -> {
            GaussianMixtureModel[] ms = current.value();
            SufficientStatistics[] s = new SufficientStatistics[ms.length];
            for (int i = 0; i < ms.length; i++) {
              s[i] = new SufficientStatistics(ms[i]);
            }
            while (it.hasNext()) {
              RowBlock block = it.next();
              for (SufficientStatistics each : s) {
                each.add(block);
              }
            }
            return Collections.singletonList(s).iterator();
          })
          .treeAggregate(null, DistributedExpectation::combine, DistributedExpectation::combine,
              depth);
      if (total == null) {
        return models.stream().map(SufficientStatistics::new).toList();
      }
      return new ArrayList<>(Arrays.asList(total));
    } finally {
      current.destroy();
    }
  }

  /** Element-wise merge; null is the empty side (a partition without blocks). */
  private static SufficientStatistics[] combine(SufficientStatistics[] a, SufficientStatistics[] b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    for (int i = 0; i < a.length; i++) {
      a[i].merge(b[i]);
    }
    return a;
  }
}
