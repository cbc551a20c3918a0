package org.sparklvm.core.gmm;

import java.io.Serializable;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.linalg.Blas;

/**
 * The E-step's sufficient statistics of a set of rows under a fixed current mixture: per component the
 * responsibility mass {@code N_k = sum w r_k}, the first moment {@code sum w r_k (x - c_k)} and the second
 * moment {@code sum w r_k (x - c_k)(x - c_k)^T} (only its diagonal for diag and spherical covariances),
 * plus {@code sum w log p(x)}.
 *
 * <p>Moments are taken about {@code c_k}, the current mean of component {@code k}, so the covariance
 * {@code S/N - delta delta^T} never subtracts two large numbers. Merge contract: {@code a.merge(b)} holds
 * exactly what one statistic would after adding the rows of both (up to floating-point summation order),
 * which is what lets partitions be summarised independently and combined with {@code treeAggregate}.
 */
public final class SufficientStatistics implements Serializable {

  private static final long serialVersionUID = 1L;

  private final GaussianMixtureModel model;
  private final int k;
  private final int d;
  private final boolean fullSecondMoment;
  private final double[] mass;
  private final double[] first;
  private final double[] second;
  private double logLikelihood;
  private double totalWeight;
  private long rows;
  private long flops;
  private transient MixtureDensity.Workspace workspace;
  private transient double[] joint;
  private transient double[] centered;

  /** Empty statistics under {@code model}. */
  public SufficientStatistics(GaussianMixtureModel model) {
    this.model = model;
    this.k = model.k();
    this.d = model.dim();
    this.fullSecondMoment = model.covarianceType().family().needsFullSecondMoment();
    this.mass = new double[k];
    this.first = new double[k * d];
    this.second = new double[fullSecondMoment ? k * d * d : k * d];
  }

  /**
   * Statistics with the given moments about {@code model}'s means, for an M-step on statistics that
   * were not summed from rows here ({@link RunningStatistics}). The arrays are copied.
   */
  static SufficientStatistics ofMoments(GaussianMixtureModel model, double[] mass, double[] first,
      double[] second, double logLikelihood, double totalWeight, long rows) {
    SufficientStatistics s = new SufficientStatistics(model);
    System.arraycopy(mass, 0, s.mass, 0, s.mass.length);
    System.arraycopy(first, 0, s.first, 0, s.first.length);
    System.arraycopy(second, 0, s.second, 0, s.second.length);
    s.logLikelihood = logLikelihood;
    s.totalWeight = totalWeight;
    s.rows = rows;
    return s;
  }

  /**
   * Adds the rows of a block: responsibilities by a log-space E-step, then the moments. A full
   * second moment comes from one of two routes, whichever costs fewer flops for the block: one GEMM
   * per component on the rows it holds (responsibility above zero), centred and scaled by {@code
   * sqrt(w r_k)}; or, for the components the mixture's {@link PackedForms} take, one GEMM of the
   * responsibilities with the rows' packed outer products. When the E-step itself takes the packed
   * route, the block goes through both steps chunk by chunk, each chunk's outer products read twice
   * while still in cache.
   *
   * @return this
   * @throws IllegalArgumentException when the block's dimension is not the model's
   */
  public SufficientStatistics add(RowBlock block) {
    model.checkDim(block.dim());
    int n = block.rows();
    if (n == 0) {
      return this;
    }
    if (joint == null || joint.length < n * k) {
      joint = new double[n * k];
      centered = new double[n * d];
      workspace = new MixtureDensity.Workspace();
    }
    MixtureDensity density = model.density();
    PackedForms forms = fullSecondMoment ? density.forms() : null;
    boolean packed;
    if (forms != null && density.packedRoute(block, workspace)) {
      addPacked(block, density, forms, true);
      packed = true;
    } else {
      density.logJoint(block, joint, workspace);
      normalize(block, 0, n);
      packed = forms != null && packedIsCheaper(forms, n);
      if (packed) {
        addPacked(block, density, forms, false);
      }
    }
    rows += n;
    for (int c = 0; c < k; c++) {
      if (!packed || !forms.eligible(c)) {
        addComponent(block, c);
      }
    }
    flops += workspace.flops + 4L * n * k * d;
    workspace.flops = 0;
    return this;
  }

  /**
   * Turns rows {@code from .. from + m - 1} of {@code joint} into weighted responsibilities {@code w
   * r_k}, adding their log-likelihood and weight.
   */
  private void normalize(RowBlock block, int from, int m) {
    for (int r = from; r < from + m; r++) {
      double w = block.weight(r);
      logLikelihood += w * MixtureDensity.normalizeRow(joint, r * k, k);
      totalWeight += w;
      for (int c = 0; c < k; c++) {
        joint[r * k + c] *= w;
      }
    }
  }

  /**
   * The packed route's moments of the eligible components, chunk by chunk: each chunk's outer
   * products, its E-step from them when {@code estep} (else {@code joint} already holds the
   * responsibilities), and {@code resp^T U} summed over the chunks.
   */
  private void addPacked(RowBlock block, MixtureDensity density, PackedForms forms, boolean estep) {
    int n = block.rows();
    int chunk = forms.chunkRows();
    workspace.moments(k * forms.width);
    double[] resp = new double[chunk * k];
    double[] blockMass = new double[k];
    for (int from = 0; from < n; from += chunk) {
      int m = Math.min(chunk, n - from);
      if (estep) {
        density.packedLogJoint(block, from, m, joint, workspace);
        normalize(block, from, m);
      } else {
        forms.outerProducts(block, from, m, workspace);
      }
      System.arraycopy(joint, from * k, resp, 0, m * k);
      forms.accumulate(m, resp, workspace);
      for (int i = 0; i < m; i++) {
        for (int c = 0; c < k; c++) {
          blockMass[c] += resp[i * k + c];
        }
      }
    }
    forms.addMoments(blockMass, first, second, workspace);
    for (int c = 0; c < k; c++) {
      if (forms.eligible(c)) {
        mass[c] += blockMass[c];
      }
    }
  }

  /**
   * Whether the packed route's {@code U} and {@code R^T U} cost fewer flops than a Gram matrix per
   * eligible component over the rows it holds.
   */
  private boolean packedIsCheaper(PackedForms forms, int n) {
    long held = 0;
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < k; c++) {
        if (joint[r * k + c] != 0.0 && forms.eligible(c)) {
          held++;
        }
      }
    }
    return (long) n * forms.width + 2L * n * k * forms.width < 2L * held * d * d;
  }

  /** The moments of component {@code c} over the block's rows it holds, the per-component route. */
  private void addComponent(RowBlock block, int c) {
    int n = block.rows();
    double[] x = block.values();
    double[] mu = model.mean(c);
    int fo = c * d;
    int held = 0;
    for (int r = 0; r < n; r++) {
      double wr = joint[r * k + c];
      if (wr == 0.0) {
        continue;
      }
      mass[c] += wr;
      int xo = r * d;
      if (fullSecondMoment) {
        double s = Math.sqrt(wr);
        int go = held * d;
        for (int j = 0; j < d; j++) {
          double t = x[xo + j] - mu[j];
          first[fo + j] += wr * t;
          centered[go + j] = s * t;
        }
        held++;
      } else {
        for (int j = 0; j < d; j++) {
          double t = x[xo + j] - mu[j];
          first[fo + j] += wr * t;
          second[fo + j] += wr * t * t;
        }
      }
    }
    if (held > 0) {
      Blas.addGram(held, d, centered, second, c * d * d);
      flops += 2L * held * d * d;
    }
  }

  /**
   * Adds {@code other} into this. Both must have been taken under the same mixture: moments about
   * different means, or responsibilities under different weights, do not add up to anything. The
   * mixtures are compared by their parameters, not by identity, since Spark hands each partition its
   * own deserialised copy.
   *
   * @return this
   * @throws IllegalArgumentException when the two were taken under different mixtures
   */
  public SufficientStatistics merge(SufficientStatistics other) {
    if (!model.hasSameParameters(other.model)) {
      throw new IllegalArgumentException("cannot merge statistics taken under different mixtures: "
          + model + " and " + other.model);
    }
    for (int i = 0; i < mass.length; i++) {
      mass[i] += other.mass[i];
    }
    for (int i = 0; i < first.length; i++) {
      first[i] += other.first[i];
    }
    for (int i = 0; i < second.length; i++) {
      second[i] += other.second[i];
    }
    logLikelihood += other.logLikelihood;
    totalWeight += other.totalWeight;
    rows += other.rows;
    flops += other.flops;
    return this;
  }

  /** The mixture the responsibilities were computed under. */
  public GaussianMixtureModel model() {
    return model;
  }

  /** {@code sum w log p(x)}. */
  public double logLikelihood() {
    return logLikelihood;
  }

  /** {@code sum w log p(x) / sum w}: the convergence criterion. */
  public double meanLogLikelihood() {
    return logLikelihood / totalWeight;
  }

  public double totalWeight() {
    return totalWeight;
  }

  public long rows() {
    return rows;
  }

  /** Floating-point operations spent on these statistics (for throughput reports). */
  public long flops() {
    return flops;
  }

  /** {@code N_k = sum w r_k}. */
  public double mass(int component) {
    return mass[component];
  }

  /** {@code sum w r_k (x - c_k)}. */
  double[] firstMoment(int component) {
    double[] out = new double[d];
    System.arraycopy(first, component * d, out, 0, d);
    return out;
  }

  /** Full ({@code d x d}) or diagonal ({@code d}) second moment about {@code c_k}. */
  double[] secondMoment(int component) {
    int size = fullSecondMoment ? d * d : d;
    double[] out = new double[size];
    System.arraycopy(second, component * size, out, 0, size);
    return out;
  }
}
