package org.sparklvm.jobs.vae;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.dataset.DataSet;

/**
 * An epoch's minibatches: each partition's rows shuffled (seeded by the epoch and the partition) and
 * stacked into {@link DataSet}s of exactly {@code size} rows, so that dl4j-spark trains on whole
 * minibatches instead of assembling them from one {@link DataSet} per row, and the rows meet other
 * rows in every epoch.
 *
 * <p>A partition's last minibatch is completed with the epoch's first rows of the partition (so a
 * few rows are seen twice in an epoch): the SameDiff output layer of DL4J 1.0.0-M2.1 fails on a
 * minibatch larger than the one before it ({@code strided_slice_bp}: "lengths of arrays are
 * mismatched"), which a worker that keeps its network between rounds would otherwise meet.
 */
final class Minibatches {

  private Minibatches() {}

  /**
   * @param rows one row per {@link DataSet}
   * @throws IllegalArgumentException when {@code size} is below 1
   */
  static JavaRDD<DataSet> of(JavaRDD<DataSet> rows, int size, long seed) {
    if (size < 1) {
      throw new IllegalArgumentException("minibatch size must be at least 1, got " + size);
    }
    return rows.mapPartitionsWithIndex((partition, it) -> stack(it, size,
        new Random(seed * 1_000_003L + partition)), true);
  }

  private static Iterator<DataSet> stack(Iterator<DataSet> it, int size, Random random) {
    List<DataSet> rows = new ArrayList<>();
    it.forEachRemaining(rows::add);
    Collections.shuffle(rows, random);
    int batches = (rows.size() + size - 1) / size;
    List<DataSet> out = new ArrayList<>(batches);
    for (int b = 0; b < batches; b++) {
      List<DataSet> batch = new ArrayList<>(size);
      for (int i = b * size; i < (b + 1) * size; i++) {
        batch.add(rows.get(i % rows.size()));
      }
      out.add(DataSet.merge(batch));
    }
    return out.iterator();
  }
}
