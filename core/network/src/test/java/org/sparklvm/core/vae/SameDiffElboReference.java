package org.sparklvm.core.vae;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The loss of an {@link ElboOutputLayer} as the SameDiff graph the layer used to build (from {@link
 * Decoder}'s SameDiff forward pass), in double precision, with given noise, and SameDiff's automatic
 * gradients of it: the independent reference for the hand-written {@link NegativeElbo}.
 */
final class SameDiffElboReference {

  static final String INPUT = "input";

  /** The summed loss and its gradient by name: every decoder parameter and {@link #INPUT}. */
  record Result(double loss, Map<String, INDArray> gradients) {}

  private SameDiffElboReference() {}

  /**
   * @param noise {@code (samples rows) x latentDim}, draw {@code s} of row {@code r} at row {@code s
   *     rows + r}
   */
  static Result evaluate(ElboOutputLayer conf, Map<String, INDArray> params, INDArray input,
      INDArray x, INDArray noise) {
    SameDiff sd = SameDiff.create();
    Decoder decoder = conf.decoder();
    int latent = conf.getLatentDim();
    int rows = (int) input.size(0);
    Map<String, SDVariable> vars = new HashMap<>();
    params.forEach((name, value) -> vars.put(name, sd.var(name, value.castTo(DataType.DOUBLE))));
    SDVariable in = sd.var(INPUT, input.castTo(DataType.DOUBLE));
    SDVariable labels = sd.constant(x.castTo(DataType.DOUBLE));
    // Columns picked by 0/1 products, rows summed with a zero column when there is one: the
    // workarounds the SameDiff layer needed for M2.1's gradients of slices and of length-one sums.
    SDVariable mu = in.mmul(pick(sd, latent, 0));
    SDVariable logVar = in.mmul(pick(sd, latent, latent));
    SDVariable sigma = sd.math().exp(logVar.mul(0.5));
    boolean iwae = Objective.fromId(conf.getObjective()) == Objective.IWAE;
    int samples = conf.getSamples();
    SDVariable reconstruction = null;
    List<SDVariable> logWeights = new ArrayList<>();
    for (int s = 0; s < samples; s++) {
      SDVariable eps = sd.constant(noise.get(NDArrayIndex.interval(s * rows, (s + 1) * rows),
          NDArrayIndex.all()).castTo(DataType.DOUBLE).dup());
      SDVariable z = mu.add(sigma.mul(eps));
      SDVariable logLik = decoder.logLikelihood(sd, labels, decoder.output(sd, z, vars), vars);
      if (iwae) {
        SDVariable logRatio = rowSums(sd, eps.mul(eps).sub(z.mul(z)).add(logVar), latent).mul(0.5);
        logWeights.add(rowSums(sd, logLik, conf.getDataDim()).add(logRatio.mul(conf.getBeta())));
      } else {
        reconstruction = reconstruction == null ? logLik.sum() : reconstruction.add(logLik.sum());
      }
    }
    SDVariable loss;
    if (iwae && samples == 1) {
      loss = logWeights.get(0).sum().neg();
    } else if (iwae) {
      SDVariable all = sd.stack(1, logWeights.toArray(new SDVariable[0]));
      SDVariable max = all.max(true, 1);
      SDVariable logSum = sd.math().log(sd.math().exp(all.sub(max)).sum(1)).add(max.reshape(-1));
      loss = logSum.sub(Math.log(samples)).sum().neg();
    } else {
      SDVariable kl = sd.math().exp(logVar).add(mu.mul(mu)).sub(1.0).sub(logVar).sum().mul(0.5);
      loss = reconstruction.div(samples).sub(kl.mul(conf.getBeta())).neg();
    }
    loss.markAsLoss();
    double value = loss.eval().getDouble(0);
    List<String> names = new ArrayList<>(params.keySet());
    names.add(INPUT);
    return new Result(value, sd.calculateGradients(Map.of(), names));
  }

  private static SDVariable pick(SameDiff sd, int latent, int from) {
    INDArray pick = Nd4j.zeros(DataType.DOUBLE, 2L * latent, latent);
    for (int j = 0; j < latent; j++) {
      pick.putScalar(new long[] {from + j, j}, 1.0);
    }
    return sd.constant(pick);
  }

  private static SDVariable rowSums(SameDiff sd, SDVariable v, int width) {
    return width == 1 ? sd.concat(1, v, sd.zerosLike(v)).sum(1) : v.sum(1);
  }
}
