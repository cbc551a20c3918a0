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
 * stacked into {@link DataSet}s of {@code size} rows (the partition's last one may be smaller), so
 * that dl4j-spark trains on whole minibatches instead of assembling them from one {@link DataSet}
 * per row, and the rows meet other rows in every epoch.
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
    List<DataSet> out = new ArrayList<>((rows.size() + size - 1) / size);
    for (int start = 0; start < rows.size(); start += size) {
      out.add(DataSet.merge(rows.subList(start, Math.min(rows.size(), start + size))));
    }
    return out.iterator();
  }
}
