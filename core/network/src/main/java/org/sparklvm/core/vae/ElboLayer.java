package org.sparklvm.core.vae;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The runtime layer of an {@link ElboOutputLayer}: the decoder and the {@link NegativeElbo} with their
 * gradients written by hand, in place of the SameDiff graph DL4J would interpret op by op.
 *
 * <p>Parameters are views of the network's flattened vector in the layout of DL4J's {@code
 * SameDiffParamInitializer} (all weights, then all biases, each in declaration order), so networks
 * saved by the SameDiff layer load unchanged. Noise is drawn from ND4J's generator on every pass.
 *
 * <p>DL4J computes an output layer's score right after its backward pass on the same input
 * ({@code MultiLayerNetwork.computeGradientAndScore}); that score is the loss of the backward pass's
 * own draws, kept until the next input or labels, rather than a second forward pass with fresh ones.
 */
final class ElboLayer extends AbstractLayer<ElboOutputLayer> implements IOutputLayer {

  private final NegativeElbo loss;
  private INDArray labels;
  private INDArray params;
  private INDArray gradients;
  private Map<String, INDArray> paramTable;
  private Map<String, INDArray> gradientTable;
  /** The summed loss of the last backward pass on the current input, or NaN. */
  private double lossOfBackwardPass = Double.NaN;
  /** Noise to use instead of fresh draws (tests): {@code (samples rows) x latentDim}, or null. */
  private INDArray fixedNoise;

  ElboLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
    loss = new NegativeElbo((ElboOutputLayer) conf.getLayer());
  }

  /** Uses {@code noise} on every pass from now on, instead of fresh draws; null to draw again. */
  void fixNoise(INDArray noise) {
    fixedNoise = noise;
  }

  /** Noise for {@code draws} draws of {@code rows} rows: fresh, or the last draws of the fixed. */
  private INDArray noise(long rows, int draws) {
    if (fixedNoise == null) {
      return loss.drawNoise(rows, draws, dataType);
    }
    long from = (loss.samples() - draws) * rows;
    return fixedNoise.get(NDArrayIndex.interval(from, from + draws * rows), NDArrayIndex.all())
        .castTo(dataType);
  }

  @Override
  public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
    super.setInput(input, workspaceMgr);
    lossOfBackwardPass = Double.NaN;
  }

  @Override
  public void setLabels(INDArray labels) {
    this.labels = labels;
    lossOfBackwardPass = Double.NaN;
  }

  @Override
  public INDArray getLabels() {
    return labels;
  }

  @Override
  public boolean needsLabels() {
    return true;
  }

  /** The mean of {@code p(x|z)} at one draw of {@code z} per row (the reconstruction). */
  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    INDArray mean = loss.mean(input, noise(input.size(0), 1), paramTable);
    return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, mean);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon,
      LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    if (labels == null) {
      throw new IllegalStateException("the ELBO layer needs labels (the rows x) to back-propagate");
    }
    INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD,
        input.dataType(), input.shape(), 'c');
    lossOfBackwardPass = loss.lossAndGradient(input, labels, noise(input.size(0), loss.samples()),
        paramTable, gradientTable, inputGradient);
    Gradient g = new DefaultGradient(gradients);
    // In the order of the flattened vector: DL4J's updater walks the gradient in this order.
    for (String name : conf().variables()) {
      g.gradientForVariable().put(name, gradientTable.get(name));
    }
    return new Pair<>(g, inputGradient);
  }

  @Override
  public double computeScore(double fullNetRegTerm, boolean training,
      LayerWorkspaceMgr workspaceMgr) {
    double sum = training && !Double.isNaN(lossOfBackwardPass) ? lossOfBackwardPass
        : rowLosses().sumNumber().doubleValue();
    lossOfBackwardPass = Double.NaN;
    return (sum + fullNetRegTerm) / input.size(0);
  }

  @Override
  public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
    return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, rowLosses().addi(fullNetRegTerm));
  }

  private INDArray rowLosses() {
    assertInputSet(false);
    return loss.rowLosses(input, labels, noise(input.size(0), loss.samples()), paramTable);
  }

  @Override
  public boolean isPretrainLayer() {
    return false;
  }

  @Override
  public void clearNoiseWeightParams() {
    // No weight noise in this layer.
  }

  @Override
  public Layer clone() {
    throw new UnsupportedOperationException("the ELBO layer is not cloned");
  }

  @Override
  public INDArray params() {
    return params;
  }

  @Override
  public INDArray getParam(String name) {
    return paramTable.get(name);
  }

  @Override
  public long numParams() {
    return params == null ? 0 : params.length();
  }

  @Override
  public void setParam(String name, INDArray value) {
    INDArray current = paramTable.get(name);
    if (current == null) {
      throw new IllegalArgumentException("no parameter " + name + " in the ELBO layer");
    }
    current.assign(value);
  }

  @Override
  public void setParams(INDArray values) {
    if (values != null) {
      params.assign(values);
    }
  }

  @Override
  public void setParamsViewArray(INDArray params) {
    this.params = params;
  }

  @Override
  public INDArray getGradientsViewArray() {
    return gradients;
  }

  @Override
  public void setBackpropGradientsViewArray(INDArray gradients) {
    this.gradients = gradients;
    gradientTable = layerConf().initializer().getGradientsFromFlattened(conf(), gradients);
  }

  @Override
  public void setParamTable(Map<String, INDArray> table) {
    if (paramTable == null) {
      paramTable = table;
    } else {
      table.forEach(this::setParam);
    }
  }

  @Override
  public Map<String, INDArray> paramTable() {
    return paramTable;
  }

  @Override
  public Map<String, INDArray> paramTable(boolean backpropParamsOnly) {
    return paramTable;
  }

  @Override
  public double f1Score(DataSet data) {
    throw new UnsupportedOperationException("the ELBO layer does not classify");
  }

  @Override
  public double f1Score(INDArray examples, INDArray labels) {
    throw new UnsupportedOperationException("the ELBO layer does not classify");
  }

  @Override
  public int numLabels() {
    return 0;
  }

  @Override
  public void fit(DataSetIterator iterator) {
    throw new UnsupportedOperationException("fit the network, not its ELBO layer");
  }

  @Override
  public int[] predict(INDArray examples) {
    throw new UnsupportedOperationException("the ELBO layer does not classify");
  }

  @Override
  public List<String> predict(DataSet data) {
    throw new UnsupportedOperationException("the ELBO layer does not classify");
  }

  @Override
  public void fit(INDArray examples, INDArray labels) {
    throw new UnsupportedOperationException("fit the network, not its ELBO layer");
  }

  @Override
  public void fit(DataSet data) {
    throw new UnsupportedOperationException("fit the network, not its ELBO layer");
  }

  @Override
  public void fit(INDArray examples, int[] labels) {
    throw new UnsupportedOperationException("fit the network, not its ELBO layer");
  }
}
