package org.sparklvm.jobs.vae;

import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.DoubleAccumulator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;

/**
 * dl4j-spark's parameter averaging, unchanged on the driver (the same splits, broadcasts and
 * averages), with workers that keep their network between averaging rounds ({@link
 * ReusingTrainingWorker}) and add each minibatch's loss to two accumulators, so that an epoch's mean
 * training loss costs no second pass over the data.
 *
 * <p>Why: the stock worker builds a new {@code MultiLayerNetwork} from the broadcast at every round
 * ({@code ParameterAveragingTrainingWorker.getInitialModel}), and the SameDiff output layer then
 * rebuilds its graph and gradient function; profiled, that was the larger part of an epoch at
 * averaging frequency 5.
 */
final class ReusingTrainingMaster extends ParameterAveragingTrainingMaster {

  private static final long serialVersionUID = 1L;

  private final transient DoubleAccumulator lossSum;
  private final transient DoubleAccumulator lossRows;

  /**
   * @param lossSum receives the sum over minibatches of the loss per row times the rows
   * @param lossRows receives the rows trained on
   */
  ReusingTrainingMaster(Builder builder, DoubleAccumulator lossSum, DoubleAccumulator lossRows) {
    super(builder);
    this.lossSum = lossSum;
    this.lossRows = lossRows;
  }

  @Override
  public ParameterAveragingTrainingWorker getWorkerInstance(SparkDl4jMultiLayer network) {
    MultiLayerNetwork net = network.getNetwork();
    NetBroadcastTuple tuple = new NetBroadcastTuple(net.getLayerWiseConfigurations(), net.params(),
        net.getUpdater().getStateViewArray());
    Broadcast<NetBroadcastTuple> broadcast = network.getSparkContext().broadcast(tuple);
    WorkerConfiguration configuration = new WorkerConfiguration(false, rddDataSetNumExamples,
        batchSizePerWorker, averagingFrequency, prefetchNumBatches, collectTrainingStats);
    return new ReusingTrainingWorker(broadcast, saveUpdater, configuration, trainingHookList,
        listeners, getRouterProvider(), structure(net.getLayerWiseConfigurations()), lossSum,
        lossRows);
  }

  /**
   * The configuration without its counters: two rounds with the same structure can share a worker's
   * network, a change (a new KL weight) cannot.
   */
  static String structure(MultiLayerConfiguration conf) {
    MultiLayerConfiguration c = conf.clone();
    c.setIterationCount(0);
    c.setEpochCount(0);
    return c.toJson();
  }
}
