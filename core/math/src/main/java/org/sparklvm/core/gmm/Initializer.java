package org.sparklvm.core.gmm;

import java.util.Arrays;
import java.util.Random;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.linalg.Cholesky;

/**
 * Starting mixtures chosen from a sample of the rows held on the driver.
 *
 * <p>k-means++ (Arthur and Vassilvitskii, 2007) seeds {@code k} centres with probability proportional to
 * {@code w D(x)^2}, Lloyd iterations refine them, and the hard assignment gives the weights, means and
 * covariances, as scikit-learn's {@code init_params='kmeans'}. A cluster with fewer than {@code d + 1}
 * rows borrows the covariance of the whole sample (a tied covariance pools every cluster's scatter).
 */
public final class Initializer {

  private static final int LLOYD_ITERATIONS = 300;
  /** Candidate starts screened by a short EM run for every initialisation asked for. */
  static final int CANDIDATES = 5;
  private static final int SHORT_EM_ITERATIONS = 20;
  private static final int SHORT_EM_ROWS = 5000;

  private Initializer() {}

  /**
   * The best of {@value #CANDIDATES} starts after a short EM run on (at most {@value #SHORT_EM_ROWS}
   * rows of) the sample: the "small EM" strategy of Biernacki, Celeux and Govaert (2003), which makes
   * each of the user's initialisations far less likely to end in a poor local maximum.
   *
   * @throws IllegalArgumentException when the sample holds fewer than {@code k} distinct rows
   */
  public static GaussianMixtureModel screened(RowBlock sample, EmSettings settings, Random random) {
    RowBlock subset = sample.subsample(SHORT_EM_ROWS, random);
    EmSettings shortRun = new EmSettings(settings.k(), settings.covarianceType(),
        SHORT_EM_ITERATIONS, settings.tolerance(), settings.regCovar(), settings.init(), 1,
        settings.seed());
    FitResult best = null;
    for (int c = 0; c < CANDIDATES; c++) {
      GaussianMixtureModel start = initialize(sample, settings, random);
      FitResult fit = ExpectationMaximization.run(start,
          model -> new SufficientStatistics(model).add(subset), shortRun, (i, ll, t) -> { });
      if (best == null || fit.meanLogLikelihood() > best.meanLogLikelihood()) {
        best = fit;
      }
    }
    return best.model();
  }

  /**
   * @throws IllegalArgumentException when the sample holds fewer than {@code k} distinct rows
   */
  public static GaussianMixtureModel initialize(RowBlock sample, EmSettings settings, Random random) {
    int k = settings.k();
    double[][] centres = seed(sample, k, random, settings.init());
    int[] assignment = new int[sample.rows()];
    if (settings.init() == EmSettings.Initialization.KMEANS_PLUS_PLUS) {
      lloyd(sample, centres, assignment);
    } else {
      assign(sample, centres, assignment);
    }
    return fromAssignment(sample, centres, assignment, settings);
  }

  private static double[][] seed(
      RowBlock sample, int k, Random random, EmSettings.Initialization init) {
    int n = sample.rows();
    int d = sample.dim();
    double[][] centres = new double[k][];
    double[] score = new double[n];
    for (int i = 0; i < n; i++) {
      score[i] = sample.weight(i);
    }
    double[] nearest = new double[n];
    Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    double[] dist = new double[n];
    for (int c = 0; c < k; c++) {
      int chosen = draw(score, random);
      if (chosen < 0) {
        throw new IllegalArgumentException(
            "k = " + k + " is larger than the number of distinct rows (" + c + ") among the rows"
                + " sampled to initialise");
      }
      centres[c] = sample.row(chosen);
      distances(sample.values(), n, centres[c], dist);
      for (int i = 0; i < n; i++) {
        nearest[i] = Math.min(nearest[i], dist[i]);
        // k-means++ weighs by w D^2; random seeding only excludes rows already chosen (D = 0).
        score[i] = init == EmSettings.Initialization.KMEANS_PLUS_PLUS
            ? sample.weight(i) * nearest[i]
            : (nearest[i] > 0.0 ? sample.weight(i) : 0.0);
      }
    }
    return centres;
  }

  private static int draw(double[] score, Random random) {
    double total = 0.0;
    for (double s : score) {
      total += s;
    }
    if (!(total > 0.0)) {
      return -1;
    }
    double u = random.nextDouble() * total;
    double acc = 0.0;
    int last = -1;
    for (int i = 0; i < score.length; i++) {
      if (score[i] > 0.0) {
        acc += score[i];
        last = i;
        if (u < acc) {
          return i;
        }
      }
    }
    return last;
  }

  /**
   * Lloyd iterations until no row changes cluster. A centre that kept every coordinate since the last
   * assignment keeps every row's distance to it too, so a row whose centre stayed put is compared
   * only with the centres that moved (few, late in the iterations): the same choice as comparing it
   * with all of them, at a fraction of the cost.
   */
  private static void lloyd(RowBlock sample, double[][] centres, int[] assignment) {
    int d = sample.dim();
    int k = centres.length;
    Arrays.fill(assignment, -1);
    double[] nearest = new double[sample.rows()];
    boolean[] moved = new boolean[k];
    Arrays.fill(moved, true);
    double[] updated = new double[d];
    for (int it = 0; it < LLOYD_ITERATIONS; it++) {
      if (!assign(sample, centres, assignment, nearest, moved)) {
        return;
      }
      double[][] sum = new double[k][d];
      double[] mass = new double[k];
      for (int i = 0; i < sample.rows(); i++) {
        double w = sample.weight(i);
        mass[assignment[i]] += w;
        for (int j = 0; j < d; j++) {
          sum[assignment[i]][j] += w * sample.values()[i * d + j];
        }
      }
      for (int c = 0; c < k; c++) {
        moved[c] = false;
        if (mass[c] > 0.0) {
          for (int j = 0; j < d; j++) {
            updated[j] = sum[c][j] / mass[c];
          }
          moved[c] = !Arrays.equals(updated, centres[c]);
          System.arraycopy(updated, 0, centres[c], 0, d);
        }
      }
    }
  }

  /** Nearest-centre assignment of every row from scratch; returns whether any row changed cluster. */
  private static boolean assign(RowBlock sample, double[][] centres, int[] assignment) {
    boolean[] all = new boolean[centres.length];
    Arrays.fill(all, true);
    return assign(sample, centres, assignment, new double[sample.rows()], all);
  }

  /**
   * Nearest-centre assignment, the lowest index winning a tie; returns whether any row changed
   * cluster. {@code nearest} holds each row's distance to its assigned centre, kept up to date; a
   * row assigned to a centre that did not move since (not {@code moved}) is compared only with the
   * centres that did, the others' distances being those that lost to it before.
   */
  private static boolean assign(RowBlock sample, double[][] centres, int[] assignment,
      double[] nearest, boolean[] moved) {
    int d = sample.dim();
    int k = centres.length;
    double[] x = sample.values();
    double[] flat = new double[k * d];
    int[] movers = new int[k];
    int m = 0;
    for (int c = 0; c < k; c++) {
      System.arraycopy(centres[c], 0, flat, c * d, d);
      if (moved[c]) {
        movers[m++] = c;
      }
    }
    boolean changed = false;
    for (int i = 0; i < sample.rows(); i++) {
      int o = i * d;
      int held = assignment[i];
      int best;
      if (held < 0 || moved[held]) {
        best = nearestCentre(x, o, flat, k, d, nearest, i);
      } else {
        best = held;
        double bestDist = nearest[i];
        for (int q = 0; q < m; q++) {
          int c = movers[q];
          double dist = squaredDistance(x, o, centres[c]);
          if (dist < bestDist || (dist == bestDist && c < best)) {
            bestDist = dist;
            best = c;
          }
        }
        nearest[i] = bestDist;
      }
      if (held != best) {
        assignment[i] = best;
        changed = true;
      }
    }
    return changed;
  }

  /**
   * The centre of {@code flat} ({@code k x d}) nearest to the row at {@code o} of {@code x}, the
   * lowest index winning a tie; its distance goes to {@code nearest[i]}. The row's distances to
   * four centres are summed side by side, each term for term as {@link #squaredDistance} sums it
   * (so the same values, and the same choice), with four additions in flight instead of one: a lone
   * sum waits on its previous addition at every term. (Eight at once, or the centres transposed for
   * the JIT to vectorise, measured slower.)
   */
  private static int nearestCentre(double[] x, int o, double[] flat, int k, int d,
      double[] nearest, int i) {
    int best = 0;
    double bestDist = Double.POSITIVE_INFINITY;
    int c = 0;
    for (; c + 4 <= k; c += 4) {
      int p0 = c * d;
      int p1 = p0 + d;
      int p2 = p1 + d;
      int p3 = p2 + d;
      double s0 = 0.0;
      double s1 = 0.0;
      double s2 = 0.0;
      double s3 = 0.0;
      for (int j = 0; j < d; j++) {
        double xj = x[o + j];
        double t0 = xj - flat[p0 + j];
        double t1 = xj - flat[p1 + j];
        double t2 = xj - flat[p2 + j];
        double t3 = xj - flat[p3 + j];
        s0 += t0 * t0;
        s1 += t1 * t1;
        s2 += t2 * t2;
        s3 += t3 * t3;
      }
      // In index order with a strict comparison: the first of equal distances wins.
      if (s0 < bestDist) {
        bestDist = s0;
        best = c + 0;
      }
      if (s1 < bestDist) {
        bestDist = s1;
        best = c + 1;
      }
      if (s2 < bestDist) {
        bestDist = s2;
        best = c + 2;
      }
      if (s3 < bestDist) {
        bestDist = s3;
        best = c + 3;
      }
    }
    for (; c < k; c++) {
      double s = squaredDistance(x, o, flat, c * d, d);
      if (s < bestDist) {
        bestDist = s;
        best = c;
      }
    }
    nearest[i] = bestDist;
    return best;
  }

  /**
   * {@code out[i]}: the squared distance of row {@code i} of {@code values} ({@code n} rows of the
   * centre's dimension) to {@code centre}, four rows summed side by side, each term for term as
   * {@link #squaredDistance} sums it.
   */
  private static void distances(double[] values, int n, double[] centre, double[] out) {
    int d = centre.length;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      int o0 = i * d;
      int o1 = o0 + d;
      int o2 = o1 + d;
      int o3 = o2 + d;
      double s0 = 0.0;
      double s1 = 0.0;
      double s2 = 0.0;
      double s3 = 0.0;
      for (int j = 0; j < d; j++) {
        double cj = centre[j];
        double t0 = values[o0 + j] - cj;
        double t1 = values[o1 + j] - cj;
        double t2 = values[o2 + j] - cj;
        double t3 = values[o3 + j] - cj;
        s0 += t0 * t0;
        s1 += t1 * t1;
        s2 += t2 * t2;
        s3 += t3 * t3;
      }
      out[i] = s0;
      out[i + 1] = s1;
      out[i + 2] = s2;
      out[i + 3] = s3;
    }
    for (; i < n; i++) {
      out[i] = squaredDistance(values, i * d, centre);
    }
  }

  private static GaussianMixtureModel fromAssignment(
      RowBlock sample, double[][] centres, int[] assignment, EmSettings settings) {
    int k = settings.k();
    int d = sample.dim();
    CovarianceType type = settings.covarianceType();
    boolean random = settings.init() == EmSettings.Initialization.RANDOM;
    double[] global = scatter(sample, null, -1, mean(sample, null, -1));
    double totalWeight = sample.totalWeight();
    double[] weights = new double[k];
    double[][] means = new double[k][];
    double[][] covs = new double[k][];
    double[] tied = new double[d * d];
    for (int c = 0; c < k; c++) {
      double mass = 0.0;
      int members = 0;
      for (int i = 0; i < sample.rows(); i++) {
        if (assignment[i] == c) {
          mass += sample.weight(i);
          members++;
        }
      }
      weights[c] = random ? 1.0 / k : Math.max(mass, 1e-10 * totalWeight) / totalWeight;
      // A centre Lloyd left without rows keeps its position (and the sample's covariance).
      means[c] = random || members == 0 ? centres[c] : mean(sample, assignment, c);
      double[] s = members > 0 && !random ? scatter(sample, assignment, c, means[c]) : null;
      if (s != null) {
        // The tied covariance pools the scatter of every cluster, however small.
        for (int i = 0; i < d * d; i++) {
          tied[i] += s[i] * mass / totalWeight;
        }
      }
      covs[c] = members > d && s != null ? s : global.clone();
    }
    double sumW = Arrays.stream(weights).sum();
    // Random starts add no cluster's scatter, so the pooled scatter is then the sample's.
    double[] pooled = Arrays.stream(tied).allMatch(v -> v == 0.0) ? global : tied;
    for (int c = 0; c < k; c++) {
      weights[c] /= sumW;
      covs[c] = constrain(type.family().initialCovariance(covs[c], pooled, d), d,
          settings.regCovar(), global);
    }
    return new GaussianMixtureModel(type, weights, means, covs);
  }

  /** Adds {@code reg} to the family's starting covariance, falls back to the global diagonal. */
  private static double[] constrain(double[] out, int d, double reg, double[] global) {
    for (int j = 0; j < d; j++) {
      out[j * d + j] += reg;
    }
    if (Cholesky.of(out, d).isPresent()) {
      return out;
    }
    double[] fallback = DiagonalCovariance.diagonalOf(global, d);
    for (int j = 0; j < d; j++) {
      // A constant column has no variance at all; one keeps the covariance invertible.
      fallback[j] = (fallback[j] > 0.0 ? fallback[j] : 1.0) + reg;
    }
    return MaximizationStep.diagonal(fallback, d);
  }

  private static double[] mean(RowBlock sample, int[] assignment, int cluster) {
    int d = sample.dim();
    double[] mu = new double[d];
    double mass = 0.0;
    for (int i = 0; i < sample.rows(); i++) {
      if (assignment == null || assignment[i] == cluster) {
        double w = sample.weight(i);
        mass += w;
        for (int j = 0; j < d; j++) {
          mu[j] += w * sample.values()[i * d + j];
        }
      }
    }
    for (int j = 0; j < d; j++) {
      mu[j] /= mass;
    }
    return mu;
  }

  /** Weighted covariance (row-major {@code d x d}) of the rows in {@code cluster} about {@code mu}. */
  private static double[] scatter(RowBlock sample, int[] assignment, int cluster, double[] mu) {
    int d = sample.dim();
    double[] s = new double[d * d];
    double mass = 0.0;
    double[] t = new double[d];
    for (int i = 0; i < sample.rows(); i++) {
      if (assignment == null || assignment[i] == cluster) {
        double w = sample.weight(i);
        mass += w;
        for (int j = 0; j < d; j++) {
          t[j] = sample.values()[i * d + j] - mu[j];
        }
        for (int a = 0; a < d; a++) {
          for (int b = 0; b <= a; b++) {
            s[a * d + b] += w * t[a] * t[b];
          }
        }
      }
    }
    for (int a = 0; a < d; a++) {
      for (int b = 0; b <= a; b++) {
        s[a * d + b] /= mass;
        s[b * d + a] = s[a * d + b];
      }
    }
    return s;
  }

  private static double squaredDistance(double[] values, int offset, double[] centre) {
    return squaredDistance(values, offset, centre, 0, centre.length);
  }

  /** {@code |x - c|^2} of the {@code d} values at {@code xo} and at {@code co}, term by term. */
  private static double squaredDistance(double[] values, int xo, double[] centres, int co, int d) {
    double s = 0.0;
    for (int j = 0; j < d; j++) {
      double t = values[xo + j] - centres[co + j];
      s += t * t;
    }
    return s;
  }
}
