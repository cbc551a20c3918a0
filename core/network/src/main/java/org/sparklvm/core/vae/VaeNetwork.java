package org.sparklvm.core.vae;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The DL4J network of a {@link VaeArchitecture}: encoder ReLU layers to {@code [mu, log sigma^2]},
 * then an {@link ElboOutputLayer} holding the decoder and the loss.
 */
public final class VaeNetwork {

  private VaeNetwork() {}

  /** The DL4J configuration: float32, Xavier initialisation, Adam. */
  public static MultiLayerConfiguration configuration(VaeArchitecture a) {
    NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
        .seed(a.seed())
        .dataType(DataType.FLOAT)
        .weightInit(WeightInit.XAVIER)
        .updater(new Adam(a.learningRate()))
        .list();
    int in = a.inputDim();
    int index = 0;
    for (int h : a.encoderLayers()) {
      list.layer(index++, new DenseLayer.Builder().nIn(in).nOut(h).activation(Activation.RELU)
          .weightInit(WeightInit.RELU).build());
      in = h;
    }
    list.layer(index++, new DenseLayer.Builder().nIn(in).nOut(2 * a.latentDim())
        .activation(Activation.IDENTITY).build());
    list.layer(index, new ElboOutputLayer(a.latentDim(), a.decoderLayers(), a.inputDim(),
        a.likelihood(), a.objective(), a.samples(), a.beta(), a.maxBatch()));
    return list.build();
  }
}
