package org.sparklvm.jobs.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparklvm.jobs.SparkTests;

/** Minibatches: whole, every row in each epoch, the remainder completed from the same partition. */
class MinibatchesTest {

  @Test
  void everyRowOnceAndTheRemainderCompletedWithinItsPartition() {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTests.spark().sparkContext());
    List<DataSet> rows = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      var x = Nd4j.createFromArray(new float[][] {{i, -i}});
      rows.add(new DataSet(x, x));
    }
    // Partitions of 11 and 12 rows, minibatches of 5: 3 per partition, 4 and 3 rows repeated.
    List<DataSet> batches = Minibatches.of(sc.parallelize(rows, 2), 5, 17).collect();
    assertEquals(6, batches.size());
    Map<Integer, Integer> seen = new HashMap<>();
    for (DataSet b : batches) {
      assertEquals(5, b.numExamples());
      assertEquals(b.getFeatures(), b.getLabels());
      for (int r = 0; r < 5; r++) {
        assertEquals(-b.getFeatures().getFloat(r, 0), b.getFeatures().getFloat(r, 1), 0f);
        seen.merge((int) b.getFeatures().getFloat(r, 0), 1, Integer::sum);
      }
    }
    assertEquals(23, seen.size());
    assertEquals(30, seen.values().stream().mapToInt(Integer::intValue).sum());
    // The two shuffles of an epoch differ from the next epoch's.
    assertEquals(false, batches.get(0).getFeatures().equals(
        Minibatches.of(sc.parallelize(rows, 2), 5, 18).first().getFeatures()));
  }
}
