package org.sparklvm.jobs.vae;

import java.io.Serializable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparklvm.core.vae.VaeArchitecture;
import org.sparklvm.core.vae.VaeModel;

/**
 * A trained VAE shipped to the executors: its configuration as JSON and a copy of its parameters,
 * broadcast once; each partition rebuilds the network from them.
 */
final class NetworkBroadcast implements Serializable, AutoCloseable {

  private static final long serialVersionUID = 1L;

  private final Broadcast<String> conf;
  private final Broadcast<INDArray> params;
  private final VaeArchitecture architecture;

  NetworkBroadcast(JavaSparkContext sc, MultiLayerNetwork network, VaeArchitecture architecture) {
    this.conf = sc.broadcast(network.getLayerWiseConfigurations().toJson());
    this.params = sc.broadcast(network.params().dup());
    this.architecture = architecture;
  }

  /** The network rebuilt where this runs. */
  VaeModel model() {
    MultiLayerNetwork local = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(conf.value()));
    local.init(params.value(), true);
    return new VaeModel(local, architecture);
  }

  @Override
  public void close() {
    conf.destroy();
    params.destroy();
  }
}
