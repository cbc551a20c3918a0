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
    for (int c = 0; c < k; c++) {
      int chosen = draw(score, random);
      if (chosen < 0) {
        throw new IllegalArgumentException(
            "k = " + k + " is larger than the number of distinct rows (" + c + ") among the rows"
                + " sampled to initialise");
      }
      centres[c] = sample.row(chosen);
      for (int i = 0; i < n; i++) {
        double dist = squaredDistance(sample.values(), i * d, centres[c]);
        nearest[i] = Math.min(nearest[i], dist);
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

  private static void lloyd(RowBlock sample, double[][] centres, int[] assignment) {
    int d = sample.dim();
    Arrays.fill(assignment, -1);
    for (int it = 0; it < LLOYD_ITERATIONS; it++) {
      if (!assign(sample, centres, assignment)) {
        return;
      }
      double[][] sum = new double[centres.length][d];
      double[] mass = new double[centres.length];
      for (int i = 0; i < sample.rows(); i++) {
        double w = sample.weight(i);
        mass[assignment[i]] += w;
        for (int j = 0; j < d; j++) {
          sum[assignment[i]][j] += w * sample.values()[i * d + j];
        }
      }
      for (int c = 0; c < centres.length; c++) {
        if (mass[c] > 0.0) {
          for (int j = 0; j < d; j++) {
            centres[c][j] = sum[c][j] / mass[c];
          }
        }
      }
    }
  }

  /** Nearest-centre assignment; returns whether any row changed cluster. */
  private static boolean assign(RowBlock sample, double[][] centres, int[] assignment) {
    boolean changed = false;
    int d = sample.dim();
    for (int i = 0; i < sample.rows(); i++) {
      int best = 0;
      double bestDist = Double.POSITIVE_INFINITY;
      for (int c = 0; c < centres.length; c++) {
        double dist = squaredDistance(sample.values(), i * d, centres[c]);
        if (dist < bestDist) {
          bestDist = dist;
          best = c;
        }
      }
      if (assignment[i] != best) {
        assignment[i] = best;
        changed = true;
      }
    }
    return changed;
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
    double s = 0.0;
    for (int j = 0; j < centre.length; j++) {
      double t = values[offset + j] - centre[j];
      s += t * t;
    }
    return s;
  }
}
