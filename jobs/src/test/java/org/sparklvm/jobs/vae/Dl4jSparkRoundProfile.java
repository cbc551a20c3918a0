package org.sparklvm.jobs.vae;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.stats.EventStats;
import org.deeplearning4j.spark.time.SystemClockTimeSource;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Where one epoch of dl4j-spark's ParameterAveragingTrainingMaster spends its time, from its own
 * training statistics: the master configured as {@link VaeTrainer} configures it, plus {@code
 * collectTrainingStats}. A round is one of the master's map-partitions spans (repartition, broadcast,
 * workers, treeAggregate, averaging); its slowest worker's fitting is the largest per-thread sum of
 * the worker's {@code fit} events inside that span.
 *
 * @param firstFitMs mean of each worker's first {@code fit} in a round: a network built anew that
 *     round, so it includes what its first step builds (a SameDiff layer's graph)
 * @param laterFitMs mean of the other {@code fit} calls
 * @param phaseMeanMs mean milliseconds and count of each event the master and workers record
 */
record Dl4jSparkRoundProfile(int rounds, double epochSeconds, double roundSeconds,
    double slowestFitSeconds, double firstFitMs, double laterFitMs,
    Map<String, double[]> phaseMeanMs) {

  private static final String ROUND = "ParameterAveragingMasterMapPartitionsTimesMs";
  private static final String FIT = "ParameterAveragingWorkerFitTimesMs";
  private static final String TIME_SOURCE = "org.deeplearning4j.spark.time.TimeSource";

  /** Round wall time minus the slowest worker's fitting, per round. */
  double overheadPerRound() {
    return (roundSeconds - slowestFitSeconds) / rounds;
  }

  /** Trains {@code network} one epoch and reads the statistics. */
  static Dl4jSparkRoundProfile measure(JavaSparkContext sc, MultiLayerNetwork network,
      JavaRDD<DataSet> train, int batchSizePerWorker, int averagingFrequency, long seed) {
    // The statistics are stamped by an NTP clock unless told otherwise (read when the master is
    // built), and NTP servers are out of reach here: local[2]'s workers share the system clock.
    String old = System.setProperty(TIME_SOURCE, SystemClockTimeSource.class.getName());
    ParameterAveragingTrainingMaster master;
    SparkDl4jMultiLayer spark;
    long t0;
    try {
      master = VaeTrainer.master(sc.defaultParallelism(), batchSizePerWorker, averagingFrequency,
          seed)
          .collectTrainingStats(true)
          .build();
      spark = new SparkDl4jMultiLayer(sc, network, master);
      t0 = System.nanoTime();
      spark.fit(train);
    } finally {
      if (old == null) {
        System.clearProperty(TIME_SOURCE);
      } else {
        System.setProperty(TIME_SOURCE, old);
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    SparkTrainingStats stats = spark.getSparkTrainingStats();
    Map<String, double[]> phases = new LinkedHashMap<>();
    Map<String, List<EventStats>> all = new HashMap<>();
    for (SparkTrainingStats s = stats; s != null; s = s.getNestedTrainingStats()) {
      for (String key : s.getKeySet()) {
        List<EventStats> events = s.getValue(key);
        if (events == null || events.isEmpty()) {
          continue;
        }
        all.put(key, events);
        phases.put(key, new double[] {events.stream().mapToLong(EventStats::getDurationMs)
            .average().orElse(0), events.size()});
      }
    }
    List<EventStats> rounds = all.getOrDefault(ROUND, List.of());
    List<EventStats> fits = all.getOrDefault(FIT, List.of());
    double roundSeconds = 0;
    double slowest = 0;
    double[] first = new double[2];
    double[] later = new double[2];
    for (EventStats round : rounds) {
      long from = round.getStartTime();
      long to = from + round.getDurationMs();
      Map<Long, Long> perThread = new HashMap<>();
      Map<Long, Long> firstStart = new HashMap<>();
      for (EventStats fit : fits) {
        if (fit.getStartTime() >= from && fit.getStartTime() <= to) {
          perThread.merge(fit.getThreadID(), fit.getDurationMs(), Long::sum);
          firstStart.merge(fit.getThreadID(), fit.getStartTime(), Math::min);
        }
      }
      for (EventStats fit : fits) {
        if (fit.getStartTime() >= from && fit.getStartTime() <= to) {
          double[] into = fit.getStartTime() == firstStart.get(fit.getThreadID()) ? first : later;
          into[0] += fit.getDurationMs();
          into[1]++;
        }
      }
      roundSeconds += round.getDurationMs() / 1e3;
      slowest += perThread.values().stream().mapToLong(Long::longValue).max().orElse(0) / 1e3;
    }
    return new Dl4jSparkRoundProfile(rounds.size(), seconds, roundSeconds, slowest,
        first[0] / first[1], later[0] / later[1], phases);
  }

  /** The phases as "name mean ms x count", for a log line. */
  String phases() {
    List<String> out = new ArrayList<>();
    phaseMeanMs.forEach((k, v) -> out.add(k.replace("ParameterAveraging", "") + " "
        + String.format("%.1f", v[0]) + " ms x " + (int) v[1]));
    return String.join(", ", out);
  }
}
