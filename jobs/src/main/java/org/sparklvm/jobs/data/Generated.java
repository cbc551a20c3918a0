package org.sparklvm.jobs.data;

import java.io.Serializable;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;

/**
 * Rows made on the executors, {@code n} spread over partitions: partition {@code p} makes its share
 * with a generator seeded from {@code (seed, p)}, so the rows depend only on the seed and the number
 * of partitions.
 */
public final class Generated {

  /**
   * Sets up one partition (rebuilds a model, allocates buffers) and returns what makes its next row;
   * that is called once per row of the partition's share.
   */
  @FunctionalInterface
  public interface Maker extends Serializable {
    Supplier<Row> open(Random random) throws Exception;
  }

  private Generated() {}

  /**
   * @throws IllegalArgumentException when {@code n} is negative or {@code partitions} below 1
   */
  public static JavaRDD<Row> rows(JavaSparkContext sc, long n, int partitions, long seed,
      Maker maker) {
    if (n < 0 || partitions < 1) {
      throw new IllegalArgumentException(
          "rows must be >= 0 and partitions >= 1, got " + n + " and " + partitions);
    }
    int parts = (int) Math.max(1, Math.min(partitions, Math.max(1, n)));
    return sc.parallelize(IntStream.range(0, parts).boxed().toList(), parts).flatMap(p ->
        Stream.generate(maker.open(new Random(seed * 1_000_003L + p)))
            .limit(n / parts + (p < n % parts ? 1 : 0)).iterator());
  }
}
