package org.sparklvm.jobs.vae;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.DoubleAccumulator;
import org.deeplearning4j.core.storage.StatsStorageRouterProvider;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A parameter-averaging worker that keeps one network per task thread and structure, and at each
 * round only copies the broadcast parameters, updater state and iteration count into it: the same
 * state the stock worker builds a new network for (see {@link ReusingTrainingMaster}).
 *
 * <p>Safe because a Spark task runs, and serialises its result, on one thread: the network's
 * parameters, which the round's result refers to, are not touched again until that thread's next
 * task, which overwrites them first.
 */
final class ReusingTrainingWorker extends ParameterAveragingTrainingWorker {

  private static final long serialVersionUID = 1L;

  /** The networks of this task thread, by {@link ReusingTrainingMaster#structure}. */
  private static final ThreadLocal<Map<String, MultiLayerNetwork>> NETWORKS =
      ThreadLocal.withInitial(HashMap::new);

  private final Broadcast<NetBroadcastTuple> broadcast;
  private final String structure;
  private final DoubleAccumulator lossSum;
  private final DoubleAccumulator lossRows;

  @SuppressWarnings("checkstyle:ParameterNumber")
  ReusingTrainingWorker(Broadcast<NetBroadcastTuple> broadcast, boolean saveUpdater,
      WorkerConfiguration configuration, Collection<TrainingHook> hooks,
      Collection<TrainingListener> listeners, StatsStorageRouterProvider router, String structure,
      DoubleAccumulator lossSum, DoubleAccumulator lossRows) {
    super(broadcast, saveUpdater, configuration, hooks, listeners, router);
    this.broadcast = broadcast;
    this.structure = structure;
    this.lossSum = lossSum;
    this.lossRows = lossRows;
  }

  @Override
  public MultiLayerNetwork getInitialModel() {
    Map<String, MultiLayerNetwork> networks = NETWORKS.get();
    MultiLayerNetwork net = networks.get(structure);
    if (net == null || getDataConfiguration().isCollectTrainingStats()) {
      limitThreads();
      net = super.getInitialModel();
      networks.clear(); // a new structure (KL weight) retires the old networks of this thread
      networks.put(structure, net);
      return net;
    }
    NetBroadcastTuple tuple = broadcast.getValue();
    net.params().assign(tuple.getParameters());
    INDArray state = tuple.getUpdaterState();
    if (state != null) {
      net.getUpdater().getStateViewArray().assign(state);
    }
    // Adam's bias correction reads the iteration count: as the stock worker's fresh copy has it.
    net.getLayerWiseConfigurations().setIterationCount(
        tuple.getConfiguration().getIterationCount());
    net.getLayerWiseConfigurations().setEpochCount(tuple.getConfiguration().getEpochCount());
    Nd4j.getExecutioner().commit();
    return net;
  }

  /**
   * ND4J's own thread pool (OpenMP) to the task's share of cores: Spark already runs a task per core,
   * and ND4J's default of a thread per core on top of that oversubscribes them.
   */
  private static void limitThreads() {
    TaskContext task = TaskContext.get();
    int threads = task == null ? Runtime.getRuntime().availableProcessors() : task.cpus();
    if (Nd4j.getEnvironment().maxMasterThreads() != threads) {
      Nd4j.getEnvironment().setMaxMasterThreads(threads);
      Nd4j.getEnvironment().setMaxThreads(threads);
    }
  }

  @Override
  public ParameterAveragingTrainingResult processMinibatch(DataSet dataSet,
      MultiLayerNetwork network, boolean isLast) {
    ParameterAveragingTrainingResult result = super.processMinibatch(dataSet, network, isLast);
    // The score of a fit is the minibatch's mean loss before its update.
    lossSum.add(network.score() * dataSet.numExamples());
    lossRows.add(dataSet.numExamples());
    return result;
  }
}
