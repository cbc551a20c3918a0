package org.sparklvm.jobs.vae;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The networks the prototype's workers keep between averaging rounds, one per (run, partition) in
 * each JVM: built once from the configuration, so that a SameDiff layer's graph is not rebuilt every
 * round as dl4j-spark's worker does (ParameterAveragingTrainingWorker.getInitialModel).
 */
final class WorkerNetworks {

  private static final Map<String, MultiLayerNetwork> NETWORKS = new ConcurrentHashMap<>();

  private WorkerNetworks() {}

  /** The network of {@code partition} in run {@code runId}, built from {@code json} on first use. */
  static MultiLayerNetwork get(String runId, int partition, String json) {
    return NETWORKS.computeIfAbsent(runId + "/" + partition, k -> {
      MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json));
      net.init();
      return net;
    });
  }

  /**
   * Forgets the networks of {@code runId} in this JVM. In local mode that is every worker's; on a
   * cluster the executors' copies would need a job of their own (or an expiry), which a prototype
   * does not need.
   */
  static void release(String runId) {
    NETWORKS.keySet().removeIf(k -> k.startsWith(runId + "/"));
  }
}
