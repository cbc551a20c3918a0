package scratch;

import java.util.List;
import java.util.Random;
import org.apache.spark.sql.*;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.gmm.*;
import org.sparklvm.jobs.SparkTests;
import org.sparklvm.jobs.bench.MixtureBenchmark;
import org.sparklvm.jobs.data.*;
import org.sparklvm.jobs.gmm.*;

class ScratchTimingTest {
  @Test
  void time() {
    var spark = SparkTests.spark();
    GaussianMixtureModel planted = MixtureBenchmark.plantedMixture(16, 32, new Random(42));
    Dataset<Row> table = MixtureSampleJob.sample(spark, planted, 200000, 42, 2, "features", List.of()).cache();
    FeatureColumns cols = FeatureColumns.resolve(table.schema(), "features", List.of(), null);
    try (FeatureData data = FeatureData.of(table, cols, 0, 16, "x")) {
      System.out.println("partitions " + data.blocks().getNumPartitions());
      DistributedExpectation pass = new DistributedExpectation(data.blocks());
      EmSettings settings = new EmSettings(16, CovarianceType.FULL, 6, -1.0, 1e-6, EmSettings.Initialization.KMEANS_PLUS_PLUS, 1, 42);
      GaussianMixtureModel start = Initializer.initialize(data.sample(20000, 42), settings, new Random(42));
      java.util.List<RowBlock> bl0 = data.blocks().collect();
      ExpectationMaximization.run(start, m -> {
        long a = System.nanoTime(); SufficientStatistics s = pass.expect(m); long b = System.nanoTime();
        SufficientStatistics loc = new SufficientStatistics(m); for (RowBlock blk : bl0) loc.add(blk); long c = System.nanoTime();
        System.out.printf("EM expect %.3f local %.3f weights %s%n", (b-a)/1e9, (c-b)/1e9, java.util.Arrays.toString(java.util.Arrays.stream(m.weights()).map(w -> Math.round(w*1000)/1000.0).toArray()));
        return s; }, settings, (i, l, t) -> System.out.printf("iter %d %.3f s%n", i, t));
      for (int i = 0; i < 20; i++) {
        long t0 = System.nanoTime();
        long n = data.blocks().count();
        long t1 = System.nanoTime();
        SufficientStatistics s = pass.expect(planted);
        long t2 = System.nanoTime();
        long t3 = System.nanoTime();
        java.util.List<RowBlock> bl = data.blocks().collect();
        long t4 = System.nanoTime();
        SufficientStatistics loc = new SufficientStatistics(planted);
        for (RowBlock b : bl) loc.add(b);
        long t5 = System.nanoTime();
        System.out.printf("count %.3f  expect %.3f  collect %.3f local-add %.3f  blocks=%d%n", (t1-t0)/1e9, (t2-t1)/1e9, (t4-t3)/1e9, (t5-t4)/1e9, bl.size());
      }
    }
  }
}
