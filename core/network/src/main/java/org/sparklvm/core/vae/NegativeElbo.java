package org.sparklvm.core.vae;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The loss of an {@link ElboOutputLayer} and its gradient, written out by hand in ND4J: the negative
 * ELBO ({@code -(mean_s log p(x|z_s) - beta KL(q || N(0, I)))}, the KL in closed form) or the negative
 * IWAE bound ({@code -log (1/K) sum_k exp(log p(x|z_k) + beta (log p(z_k) - log q(z_k|x)))}, Burda,
 * Grosse and Salakhutdinov 2016), with {@code z = mu + sigma eps}, per row of a minibatch.
 *
 * <p>The draws are stacked: row {@code s n + r} of every {@code (samples n) x ...} array belongs to draw
 * {@code s} of row {@code r}, so that the decoder runs once on all of them and its parameter gradients
 * sum over draws in the same products. The gradient with respect to the draws' log-likelihoods is a
 * per-row weight: {@code 1 / samples} for the ELBO, the normalised importance weight for IWAE.
 */
final class NegativeElbo {

  private static final double LOG_2PI = Math.log(2.0 * Math.PI);

  private final int latentDim;
  private final int[] hidden;
  private final boolean bernoulli;
  private final boolean iwae;
  private final int samples;
  private final double beta;

  NegativeElbo(ElboOutputLayer conf) {
    latentDim = conf.getLatentDim();
    hidden = conf.getDecoderLayers();
    bernoulli = Likelihood.fromId(conf.getLikelihood()) == Likelihood.BERNOULLI;
    iwae = Objective.fromId(conf.getObjective()) == Objective.IWAE;
    samples = conf.getSamples();
    beta = conf.getBeta();
  }

  int samples() {
    return samples;
  }

  /** Fresh noise for {@code draws} draws of {@code rows} rows: {@code (draws rows) x latentDim}. */
  INDArray drawNoise(long rows, int draws, DataType type) {
    return Nd4j.randn(type, draws * rows, latentDim);
  }

  /** The forward pass of every draw, kept for the backward pass. */
  private final class Pass {
    final long rows;
    final INDArray mu;
    final INDArray logVar;
    final INDArray sigma;
    final INDArray eps;
    final INDArray z;
    /** {@code h[0] = z}, {@code h[i + 1]} the ReLU layer {@code i}'s output. */
    final INDArray[] h = new INDArray[hidden.length + 1];
    final INDArray out;
    final INDArray x;
    /** {@code log p(x_j | z)} per element, stacked draws by data dimensions. */
    final INDArray logLik;

    Pass(INDArray input, INDArray labels, INDArray noise, Map<String, INDArray> params) {
      rows = input.size(0);
      mu = stack(columns(input, 0));
      logVar = stack(columns(input, latentDim));
      sigma = Transforms.exp(logVar.mul(0.5), false);
      eps = noise;
      z = sigma.mul(eps).addi(mu);
      out = decode(z, params, h);
      x = stack(labels);
      logLik = logLikelihood(params);
    }

    private INDArray stack(INDArray a) {
      return samples == 1 ? a : Nd4j.tile(a, samples, 1);
    }

    private INDArray logLikelihood(Map<String, INDArray> params) {
      if (bernoulli) {
        // x l - softplus(l), softplus(l) = max(l, 0) + log1p(exp(-|l|)) so that no exp overflows.
        INDArray softplus = Transforms.log1p(
            Transforms.exp(Transforms.abs(out, true).negi(), false), false)
            .addi(Transforms.relu(out, true));
        return x.mul(out).subi(softplus);
      }
      INDArray logVarOut = params.get(Decoder.LOG_VARIANCE);
      INDArray diff = x.sub(out);
      return diff.muli(diff).muliRowVector(Transforms.exp(logVarOut.neg(), false))
          .addiRowVector(logVarOut).addi(LOG_2PI).muli(-0.5);
    }

    /** Each draw's log importance weight, {@code (samples rows) x 1}: see {@link NegativeElbo}. */
    INDArray logWeights() {
      INDArray logRatio = eps.mul(eps).subi(z.mul(z)).addi(logVar).sum(true, 1).muli(0.5 * beta);
      return logLik.sum(true, 1).addi(logRatio);
    }

    /** {@code KL(q_r || N(0, I))} per row, {@code rows x 1}. */
    INDArray klToPrior() {
      INDArray mu1 = firstDraw(mu);
      INDArray logVar1 = firstDraw(logVar);
      return Transforms.exp(logVar1, true).addi(mu1.mul(mu1)).subi(1.0).subi(logVar1)
          .sum(true, 1).muli(0.5);
    }

    INDArray firstDraw(INDArray a) {
      return samples == 1 ? a : a.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
    }
  }

  /** A copy of {@code latentDim} columns from {@code from}: the ops below work in place on it. */
  private INDArray columns(INDArray input, int from) {
    return input.get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + latentDim)).dup('c');
  }

  /**
   * The decoder's affine output for codes {@code z}, as {@link Decoder#output}: ReLU layers, then
   * logits or means. Into {@code h}: {@code z}, then each ReLU layer's output.
   */
  private INDArray decode(INDArray z, Map<String, INDArray> params, INDArray[] h) {
    h[0] = z;
    for (int i = 0; i < hidden.length; i++) {
      INDArray a = h[i].mmul(params.get(Decoder.weight(i)));
      h[i + 1] = Transforms.relu(a.addiRowVector(params.get(Decoder.bias(i))), false);
    }
    return h[hidden.length].mmul(params.get(Decoder.OUTPUT_WEIGHT))
        .addiRowVector(params.get(Decoder.OUTPUT_BIAS));
  }

  /**
   * Each row's loss, {@code rows x 1}: the negative ELBO (its reconstruction term averaged over the
   * draws) or the negative IWAE bound.
   *
   * @param input {@code [mu, log sigma^2]}, {@code rows x 2 latentDim}
   * @param labels the rows {@code x}, one a row
   * @param noise {@code eps}, {@code (samples rows) x latentDim}
   */
  INDArray rowLosses(INDArray input, INDArray labels, INDArray noise,
      Map<String, INDArray> params) {
    Pass p = new Pass(input, labels, noise, params);
    return rowLosses(p, iwae ? p.logWeights() : null);
  }

  private INDArray rowLosses(Pass p, INDArray logWeights) {
    if (iwae) {
      INDArray w = logWeights.reshape('c', samples, p.rows);
      INDArray max = w.max(true, 0);
      // log-sum-exp over the draws, shifted by the row's largest log weight so that none overflows.
      INDArray sum = Transforms.exp(w.subRowVector(max), false).sum(true, 0);
      INDArray logSum = Transforms.log(sum, false).addi(max).subi(Math.log(samples));
      return logSum.reshape('c', p.rows, 1).negi();
    }
    INDArray reconstruction = p.logLik.sum(true, 1);
    if (samples > 1) {
      reconstruction = reconstruction.reshape('c', samples, p.rows).sum(true, 0)
          .reshape('c', p.rows, 1);
    }
    return p.klToPrior().muli(beta).subi(reconstruction.divi(samples));
  }

  /**
   * The loss summed over the rows, with its gradient with respect to every parameter (into {@code
   * gradients}, arrays of the parameters' shapes, overwritten) and the input (into {@code
   * inputGradient}, {@code rows x 2 latentDim}, overwritten).
   */
  double lossAndGradient(INDArray input, INDArray labels, INDArray noise,
      Map<String, INDArray> params, Map<String, INDArray> gradients, INDArray inputGradient) {
    Pass p = new Pass(input, labels, noise, params);
    INDArray logWeights = iwae ? p.logWeights() : null;
    double loss = rowLosses(p, logWeights).sumNumber().doubleValue();
    INDArray share = iwae ? normalisedWeights(logWeights, p.rows) : null;
    // d log p(x|z) / d out, then times the share and negated: d loss / d out.
    INDArray dOut;
    if (bernoulli) {
      dOut = Transforms.sigmoid(p.out, true).subi(p.x);
    } else {
      INDArray precision = Transforms.exp(params.get(Decoder.LOG_VARIANCE).neg(), false);
      INDArray diff = p.out.sub(p.x).muliRowVector(precision);
      // d/d logVarOut_j of -log p = 1/2 (1 - (x - out)^2 / var), weighted by each draw's share.
      INDArray perElement = diff.mul(p.x.sub(p.out)).addi(1.0).muli(0.5);
      INDArray dLogVarOut = weighted(perElement, share).sum(true, 0);
      gradients.get(Decoder.LOG_VARIANCE).assign(dLogVarOut);
      dOut = diff;
    }
    dOut = weighted(dOut, share);
    INDArray dz = decoderBackward(p, dOut, params, gradients);
    latentGradient(p, dz, share, inputGradient);
    return loss;
  }

  /**
   * IWAE's d loss / d log w of each stacked row, negated: each draw's normalised importance weight
   * among its row's draws (a softmax over the draws), {@code (samples rows) x 1}.
   */
  private INDArray normalisedWeights(INDArray logWeights, long rows) {
    INDArray w = logWeights.reshape('c', samples, rows);
    INDArray e = Transforms.exp(w.subRowVector(w.max(true, 0)), false);
    return e.diviRowVector(e.sum(true, 0)).reshape('c', samples * rows, 1);
  }

  /** {@code d} times each stacked row's share, or over {@code samples} when the shares are equal. */
  private INDArray weighted(INDArray d, INDArray share) {
    return share == null ? (samples == 1 ? d : d.divi(samples)) : d.muliColumnVector(share);
  }

  /** Back through the affine output and the ReLU layers: parameter gradients, then d loss / d z. */
  private INDArray decoderBackward(Pass p, INDArray dOut, Map<String, INDArray> params,
      Map<String, INDArray> gradients) {
    INDArray delta = dOut;
    String w = Decoder.OUTPUT_WEIGHT;
    String b = Decoder.OUTPUT_BIAS;
    for (int i = hidden.length; i >= 0; i--) {
      Nd4j.gemm(p.h[i], delta, gradients.get(w), true, false, 1.0, 0.0);
      delta.sum(gradients.get(b), 0);
      INDArray dh = delta.mmul(params.get(w).transpose());
      if (i > 0) {
        // ReLU: the gradient passes where the layer's output is positive.
        dh.muli(Transforms.step(p.h[i], true));
        w = Decoder.weight(i - 1);
        b = Decoder.bias(i - 1);
      }
      delta = dh;
    }
    return delta;
  }

  /**
   * d loss / d [mu, log sigma^2], {@code rows x 2 latentDim}, from d loss / d z of every draw and the
   * terms where mu and log sigma^2 appear outside z (the closed-form KL, or IWAE's {@code log p(z) -
   * log q(z|x)}).
   */
  private void latentGradient(Pass p, INDArray dz, INDArray share, INDArray inputGradient) {
    INDArray dMu = dz;
    INDArray dLogVar;
    if (share == null) {
      dLogVar = dz.mul(p.eps).muli(p.sigma).muli(0.5);
    } else {
      // log p(z) - log q(z|x) = 1/2 sum(eps^2 - z^2 + log sigma^2), eps held fixed: its z-term adds
      // beta share z to d loss / d z, its log sigma^2 term -beta share / 2 to d loss / d log sigma^2.
      INDArray dzAll = p.z.mulColumnVector(share).muli(beta).addi(dz);
      dMu = dzAll;
      dLogVar = dzAll.mul(p.eps).muli(p.sigma).muli(0.5).subiColumnVector(share.mul(0.5 * beta));
    }
    dMu = sumDraws(dMu, p.rows);
    dLogVar = sumDraws(dLogVar, p.rows);
    if (share == null) {
      // Closed-form KL: d/d mu = beta mu, d/d log sigma^2 = beta (sigma^2 - 1) / 2.
      INDArray mu1 = p.firstDraw(p.mu);
      INDArray logVar1 = p.firstDraw(p.logVar);
      dMu.addi(mu1.mul(beta));
      dLogVar.addi(Transforms.exp(logVar1, true).subi(1.0).muli(0.5 * beta));
    }
    inputGradient.get(NDArrayIndex.all(), NDArrayIndex.interval(0, latentDim)).assign(dMu);
    inputGradient.get(NDArrayIndex.all(), NDArrayIndex.interval(latentDim, 2 * latentDim))
        .assign(dLogVar);
  }

  /** The sum over draws of a stacked {@code (samples rows) x latentDim} array. */
  private INDArray sumDraws(INDArray a, long rows) {
    return samples == 1 ? a : a.reshape('c', samples, rows, latentDim).sum(0);
  }

  /**
   * The mean of {@code p(x|z)} at one draw {@code z = mu + sigma eps} per row ({@code noise} {@code
   * rows x latentDim}): Bernoulli probabilities or Gaussian means.
   */
  INDArray mean(INDArray input, INDArray noise, Map<String, INDArray> params) {
    INDArray sigma = Transforms.exp(columns(input, latentDim).muli(0.5), false);
    INDArray out = decode(sigma.muli(noise).addi(columns(input, 0)), params,
        new INDArray[hidden.length + 1]);
    return bernoulli ? Transforms.sigmoid(out, false) : out;
  }
}
