package org.sparklvm.jobs.gmm;

import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.gmm.SufficientStatistics;
import scala.Function2;
import scala.collection.JavaConverters;

/**
 * A task of {@link DistributedExpectation}: the statistics of one partition's blocks under each of
 * several mixtures, held in the task itself or in a broadcast.
 *
 * <p>A named class, not a lambda: Spark's closure cleaner returns at once for a class that is not
 * a closure, where every Scala closure costs it a read of the defining class's bytecode.
 */
final class PartitionStatistics
    implements Function2<TaskContext, scala.collection.Iterator<RowBlock>, SufficientStatistics[]>,
    Serializable {

  private static final long serialVersionUID = 1L;

  private final GaussianMixtureModel[] models;
  private final Broadcast<GaussianMixtureModel[]> shared;

  /**
   * @param models the mixtures, or null when {@code shared} holds them
   * @param shared the broadcast mixtures, or null when {@code models} are given
   */
  PartitionStatistics(GaussianMixtureModel[] models, Broadcast<GaussianMixtureModel[]> shared) {
    this.models = models;
    this.shared = shared;
  }

  @Override
  public SufficientStatistics[] apply(TaskContext context,
      scala.collection.Iterator<RowBlock> blocks) {
    return of(models != null ? models : shared.value(), JavaConverters.asJavaIterator(blocks));
  }

  /** The statistics of {@code blocks} under each of {@code models}, in their order. */
  static SufficientStatistics[] of(GaussianMixtureModel[] models, Iterator<RowBlock> blocks) {
    SufficientStatistics[] s = new SufficientStatistics[models.length];
    for (int i = 0; i < models.length; i++) {
      s[i] = new SufficientStatistics(models[i]);
    }
    while (blocks.hasNext()) {
      RowBlock block = blocks.next();
      for (SufficientStatistics each : s) {
        each.add(block);
      }
    }
    return s;
  }
}
