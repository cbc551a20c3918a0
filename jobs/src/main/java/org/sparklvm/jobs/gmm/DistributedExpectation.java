package org.sparklvm.jobs.gmm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.gmm.ExpectationMaximization;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.gmm.SufficientStatistics;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * One E-step over a cluster: each partition sums the statistics of its blocks under the current
 * mixture, and the partial statistics are merged into the driver. {@link #expectAll} does the same
 * for several mixtures in one pass: each block, once read, is added to the statistics of every
 * mixture, and the per-partition arrays are merged element by element.
 *
 * <p>Up to {@value #DIRECT_PARTITIONS} partitions, one job runs a {@link PartitionStatistics} on the
 * cached blocks themselves and the driver merges the partitions' statistics in partition order (the
 * same sums whatever order the tasks end in). The mixtures travel inside the task when small, else
 * in a broadcast. A pass is then one stage of one task per partition and nothing else: no
 * broadcast to write and remove, no per-pass RDDs, none of the Scala closures of {@code
 * mapPartitions} and {@code treeAggregate} that Spark's closure cleaner reads class files to check.
 * Profiled on {@code lvm bench gmm} (200,000 x 32, k = 16, {@code local[2]}), those were the
 * driver's time outside the job: 37 ms a pass before, 5 ms after. Wider inputs keep the broadcast
 * and {@code treeAggregate}, so the driver does not receive one statistic per partition.
 */
public final class DistributedExpectation
    implements ExpectationMaximization.ExpectationPass, ExpectationMaximization.MultiPass {

  /** Partitions whose statistics the driver merges itself; more go through treeAggregate. */
  static final int DIRECT_PARTITIONS = 32;
  /**
   * Mixtures up to this many covariance entries (8 bytes each, summed over the mixtures) travel
   * inside the task, which Spark serialises once per pass anyway; larger ones are broadcast.
   */
  static final long INLINE_ENTRIES = 128 * 1024;

  private static final ClassTag<SufficientStatistics[]> STATISTICS =
      ClassTag$.MODULE$.apply(SufficientStatistics[].class);

  private final JavaRDD<RowBlock> blocks;
  private final int depth;
  private final int directPartitions;
  private final long inlineEntries;

  public DistributedExpectation(JavaRDD<RowBlock> blocks) {
    this(blocks, DIRECT_PARTITIONS, INLINE_ENTRIES);
  }

  /**
   * As above with the routes' bounds given (tests take each route on small data): the driver merges
   * up to {@code directPartitions} partitions, and mixtures of up to {@code inlineEntries}
   * covariance entries travel inside the task.
   */
  DistributedExpectation(JavaRDD<RowBlock> blocks, int directPartitions, long inlineEntries) {
    this.blocks = blocks;
    // Two levels keep the driver from receiving one statistic per partition on wide inputs.
    this.depth = blocks.getNumPartitions() > 64 ? 3 : 2;
    this.directPartitions = directPartitions;
    this.inlineEntries = inlineEntries;
  }

  @Override
  public SufficientStatistics expect(GaussianMixtureModel model) {
    return expectAll(List.of(model)).get(0);
  }

  @Override
  public List<SufficientStatistics> expectAll(List<GaussianMixtureModel> models) {
    GaussianMixtureModel[] ms = models.toArray(new GaussianMixtureModel[0]);
    int partitions = blocks.getNumPartitions();
    SufficientStatistics[] total = partitions <= directPartitions
        ? direct(ms, partitions) : tree(ms);
    if (total == null) {
      return models.stream().map(SufficientStatistics::new).toList();
    }
    return new ArrayList<>(Arrays.asList(total));
  }

  /** One job on the blocks themselves; the driver merges the partitions in order. */
  private SufficientStatistics[] direct(GaussianMixtureModel[] ms, int partitions) {
    SparkContext sc = blocks.context();
    boolean inline = entries(ms) <= inlineEntries;
    Broadcast<GaussianMixtureModel[]> shared =
        inline ? null : JavaSparkContext.fromSparkContext(sc).broadcast(ms);
    try {
      SufficientStatistics[][] parts = (SufficientStatistics[][]) sc.runJob(blocks.rdd(),
          new PartitionStatistics(inline ? ms : null, shared),
          new scala.collection.immutable.Range(0, partitions, 1), STATISTICS);
      SufficientStatistics[] total = null;
      for (SufficientStatistics[] part : parts) {
        total = combine(total, part);
      }
      return total;
    } finally {
      if (shared != null) {
        shared.destroy();
      }
    }
  }

  /** Broadcast mixtures, per-partition statistics merged by {@code treeAggregate}. */
  private SufficientStatistics[] tree(GaussianMixtureModel[] ms) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
    Broadcast<GaussianMixtureModel[]> current = sc.broadcast(ms);
    try {
      return blocks
          .mapPartitions(it -> Collections.singletonList(
              PartitionStatistics.of(current.value(), it)).iterator())
          .treeAggregate(null, DistributedExpectation::combine, DistributedExpectation::combine,
              depth);
    } finally {
      current.destroy();
    }
  }

  private static long entries(GaussianMixtureModel[] ms) {
    long n = 0;
    for (GaussianMixtureModel m : ms) {
      n += (long) m.k() * m.dim() * m.dim();
    }
    return n;
  }

  /** Element-wise merge; null is the empty side (a partition without blocks). */
  static SufficientStatistics[] combine(SufficientStatistics[] a, SufficientStatistics[] b) {
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
