package org.sparklvm.jobs.vae;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * A prototype, not a trainer: synchronous parameter averaging over Spark without dl4j-spark's
 * per-round data handling. Rows are grouped once into minibatches held in memory, one partition per
 * worker; each round the driver broadcasts the parameters, the updater state and the global iteration
 * count as plain float arrays, every task fits its next {@code averagingFrequency} minibatches on a
 * network it keeps between rounds ({@link WorkerNetworks}), and a treeAggregate of {@link
 * ParameterSum} brings back the sums that the driver divides by the number of workers (Zinkevich et
 * al., "Parallelized stochastic gradient descent", 2010; what dl4j-spark does with {@code
 * saveUpdater=true}). The network inside does not matter: any MultiLayerNetwork configuration works.
 */
final class AveragingLoopPrototype implements AutoCloseable {

  /**
   * @param workers partitions, one network each
   * @param seed the row shuffle, the per-epoch minibatch order and each step's random draws
   */
  record Settings(int workers, int batchSizePerWorker, int averagingFrequency, long seed)
      implements Serializable {}

  /**
   * One epoch's timings, in seconds, all measured on the driver except {@code slowestFitSeconds}
   * (the slowest worker's {@code fit} calls of each round, timed inside its task, summed over
   * rounds).
   *
   * @param slowestBatches the minibatches the slowest workers fitted in {@code slowestFitSeconds}
   * @param broadcastSeconds creating the rounds' broadcasts (parameters and updater state)
   * @param averagingSeconds dividing the sums and copying them into the driver's network
   * @param copySeconds the slowest worker's copying of state into and out of its network, summed
   *     over rounds
   */
  record EpochReport(int rounds, long rows, double seconds, double slowestFitSeconds,
      int slowestBatches, double broadcastSeconds, double averagingSeconds, double copySeconds,
      double meanLoss) {

    /** Round wall time minus the slowest worker's fitting, per round. */
    double overheadPerRound() {
      return (seconds - slowestFitSeconds) / rounds;
    }
  }

  /** What the driver broadcasts each round. */
  record RoundStart(float[] params, float[] updaterState, int iteration, int epoch, int round)
      implements Serializable {}

  private final JavaSparkContext sc;
  private final MultiLayerNetwork network;
  private final Settings settings;
  private final String runId = UUID.randomUUID().toString();
  private final Broadcast<String> configuration;
  private JavaRDD<List<DataSet>> minibatches;
  private int maxBatchesPerWorker;
  private long rows;
  private int epoch;

  /** Trains {@code network} (its parameters, updater state and iteration count) in place. */
  AveragingLoopPrototype(JavaSparkContext sc, MultiLayerNetwork network, Settings settings) {
    this.sc = sc;
    this.network = network;
    this.settings = settings;
    this.configuration = sc.broadcast(network.getLayerWiseConfigurations().toJson());
  }

  /**
   * Groups single-row examples once: a seeded shuffle, rank {@code i} to worker {@code i mod
   * workers}, then minibatches of {@code batchSizePerWorker} rows in shuffled order (the last one of
   * a worker may be short), kept in memory as one list per partition.
   */
  void prepare(JavaRDD<DataSet> examples) {
    int workers = settings.workers();
    int batch = settings.batchSizePerWorker();
    long seed = settings.seed();
    JavaPairRDD<Long, DataSet> ranked = examples.zipWithIndex()
        .mapToPair(t -> new Tuple2<>(new Random(seed * 1_000_003L + t._2()).nextLong(), t._1()))
        .sortByKey()
        .zipWithIndex()
        .mapToPair(t -> new Tuple2<>(t._2(), t._1()._2()));
    minibatches = ranked
        .mapToPair(t -> new Tuple2<>((int) (t._1() % workers), new Tuple2<>(t._1(), t._2())))
        .partitionBy(new HashPartitioner(workers))
        .mapPartitions(it -> group(it, batch), true)
        .persist(StorageLevel.MEMORY_ONLY());
    List<Integer> counts = minibatches.map(List::size).collect();
    maxBatchesPerWorker = Collections.max(counts);
    rows = examples.count();
  }

  private static Iterator<List<DataSet>> group(Iterator<Tuple2<Integer, Tuple2<Long, DataSet>>> it,
      int batch) {
    List<Tuple2<Long, DataSet>> mine = new ArrayList<>();
    it.forEachRemaining(t -> mine.add(t._2()));
    mine.sort(Comparator.comparing(Tuple2::_1));
    List<DataSet> out = new ArrayList<>();
    for (int from = 0; from < mine.size(); from += batch) {
      List<DataSet> rows = new ArrayList<>();
      for (int i = from; i < Math.min(from + batch, mine.size()); i++) {
        rows.add(mine.get(i)._2());
      }
      out.add(DataSet.merge(rows));
    }
    return List.<List<DataSet>>of(out).iterator();
  }

  /** The minibatches of each partition, in the order {@link #prepare} made them. */
  List<List<DataSet>> minibatches() {
    return minibatches.collect();
  }

  /** The order in which a worker visits its {@code n} minibatches in an epoch (1-based). */
  static int[] epochOrder(int n, long seed, int epoch, int partition) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(seed ^ (epoch * 0x9E3779B97F4A7C15L) ^ (partition * 0xC2B2AE3DL));
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** The seed of a worker's random draws in one round, so that a run can be replayed. */
  static long stepSeed(long seed, int epoch, int round, int partition) {
    return seed * 31L + epoch * 1_000_003L + round * 7_919L + partition;
  }

  /** One pass over every worker's minibatches. */
  EpochReport fitEpoch() {
    epoch++;
    int f = settings.averagingFrequency();
    int rounds = (maxBatchesPerWorker + f - 1) / f;
    double slowestFit = 0;
    double broadcast = 0;
    double averaging = 0;
    double copy = 0;
    double loss = 0;
    long batches = 0;
    int slowestBatches = 0;
    long t0 = System.nanoTime();
    for (int round = 0; round < rounds; round++) {
      long b0 = System.nanoTime();
      Broadcast<RoundStart> start = sc.broadcast(new RoundStart(
          network.params().toFloatVector(),
          network.getUpdater().getStateViewArray().toFloatVector(),
          network.getLayerWiseConfigurations().getIterationCount(), epoch, round));
      broadcast += (System.nanoTime() - b0) / 1e9;
      String id = runId;
      Broadcast<String> conf = configuration;
      Settings s = settings;
      ParameterSum sum = minibatches
          .mapPartitionsWithIndex((p, it) -> train(p, it, id, conf, start, s), true)
          .treeAggregate(new ParameterSum(), ParameterSum::merge, ParameterSum::merge);
      start.destroy();
      long a0 = System.nanoTime();
      network.setParams(row(sum.meanParams()));
      network.getUpdater().setStateViewArray(network, row(sum.meanUpdaterState()), false);
      // Adam's bias correction counts sequential updates: a round is as many as its longest worker
      // fitted (dl4j-spark adds averagingFrequency, the same except in a short last round).
      network.getLayerWiseConfigurations().setIterationCount(
          network.getLayerWiseConfigurations().getIterationCount() + sum.maxBatches());
      averaging += (System.nanoTime() - a0) / 1e9;
      copy += sum.maxCopyNanos() / 1e9;
      slowestFit += sum.maxFitNanos() / 1e9;
      slowestBatches += sum.maxBatches();
      loss += sum.lossSum();
      batches += sum.batches();
    }
    network.getLayerWiseConfigurations().setEpochCount(epoch);
    return new EpochReport(rounds, rows, (System.nanoTime() - t0) / 1e9, slowestFit,
        slowestBatches, broadcast, averaging, copy, loss / batches);
  }

  private static INDArray row(float[] values) {
    return Nd4j.createFromArray(values).reshape(1, values.length);
  }

  /** A worker's round: copy in the broadcast state, fit the next minibatches, send back the state. */
  private static Iterator<ParameterSum> train(int partition, Iterator<List<DataSet>> it,
      String runId, Broadcast<String> conf, Broadcast<RoundStart> broadcast, Settings s) {
    List<DataSet> mine = it.next();
    RoundStart start = broadcast.value();
    int from = start.round() * s.averagingFrequency();
    int to = Math.min(from + s.averagingFrequency(), mine.size());
    if (from >= to) {
      return Collections.emptyIterator();
    }
    MultiLayerNetwork net = WorkerNetworks.get(runId, partition, conf.value());
    long c0 = System.nanoTime();
    net.setParams(row(start.params()));
    net.getUpdater().setStateViewArray(net, row(start.updaterState()), false);
    net.getLayerWiseConfigurations().setIterationCount(start.iteration());
    net.getLayerWiseConfigurations().setEpochCount(start.epoch() - 1);
    Nd4j.getRandom().setSeed(stepSeed(s.seed(), start.epoch(), start.round(), partition));
    int[] order = epochOrder(mine.size(), s.seed(), start.epoch(), partition);
    double loss = 0;
    long t0 = System.nanoTime();
    long copyNanos = t0 - c0;
    for (int i = from; i < to; i++) {
      net.fit(mine.get(order[i]));
      loss += net.score();
    }
    long t1 = System.nanoTime();
    float[] params = net.params().toFloatVector();
    float[] updaterState = net.getUpdater().getStateViewArray().toFloatVector();
    copyNanos += System.nanoTime() - t1;
    return List.of(ParameterSum.of(params, updaterState, to - from, loss, t1 - t0, copyNanos))
        .iterator();
  }

  @Override
  public void close() {
    if (minibatches != null) {
      minibatches.unpersist(false);
    }
    configuration.destroy();
    WorkerNetworks.release(runId);
  }
}
