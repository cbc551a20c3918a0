package org.sparklvm.jobs.gmm;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.ExpectationMaximization;
import org.sparklvm.core.gmm.ExpectationMaximization.Outcome;
import org.sparklvm.core.gmm.FitResult;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.gmm.Initializer;
import org.sparklvm.core.gmm.RestartPruning;
import org.sparklvm.jobs.Progress;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.data.FeatureData;

/**
 * Fits a mixture to cached feature blocks by distributed EM: {@code restarts} initialisations from a
 * driver-side sample (each the best of several screened by a short EM run there), advanced together
 * (one pass over the blocks per iteration computes the statistics of every live run), a run that is
 * clearly losing dropped by the settings' rule ({@link EmSettings#pruning}, {@code
 * --drop-restarts-after}), the best final log-likelihood kept; or,
 * warm-started, one run from a given mixture.
 */
public final class MixtureFitter {

  /** Rows sampled to the driver for k-means++ initialisation. */
  public static final int INIT_SAMPLE_ROWS = 20_000;

  private static final Logger LOG = LoggerFactory.getLogger(MixtureFitter.class);

  private MixtureFitter() {}

  /**
   * @throws UserInputException when k exceeds the distinct rows of the data
   */
  public static FitResult fit(FeatureData data, EmSettings settings) {
    return fit(data, settings, null);
  }

  /**
   * @param start the mixture EM starts from, with k and covariance type those of {@code settings},
   *     or null to initialise {@code settings.restarts()} times
   * @throws UserInputException when k exceeds the distinct rows of the data
   */
  public static FitResult fit(FeatureData data, EmSettings settings, WarmStart start) {
    checkK(data, settings);
    if (start != null) {
      LOG.info("gmm k={} {}: warm start from {}", settings.k(), settings.covarianceType().id(),
          start.origin());
      return best(together(data, List.of(start.model()), new int[1], settings,
          RestartPruning.NONE, label(settings))).get(0);
    }
    List<GaussianMixtureModel> starts = starts(data, settings);
    return best(together(data, starts, new int[starts.size()], settings, settings.pruning(),
        label(settings))).get(0);
  }

  /**
   * The {@code settings.restarts()} starting mixtures, start {@code i} from a sample and a random
   * stream seeded with {@code seed + i}; drawn and screened several at once.
   *
   * @throws UserInputException when k exceeds the distinct rows of the data
   */
  public static List<GaussianMixtureModel> starts(FeatureData data, EmSettings settings) {
    checkK(data, settings);
    int restarts = settings.restarts();
    // Each start owns its sample and random stream, so drawing and screening them at once changes
    // nothing; the samples' Spark jobs overlap their latencies, the screening uses the driver's cores.
    int threads = Math.min(restarts, Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<GaussianMixtureModel>> screened = new ArrayList<>();
      for (int r = 0; r < restarts; r++) {
        long seed = settings.seed() + r;
        screened.add(pool.submit(() -> Initializer.screened(data.sample(INIT_SAMPLE_ROWS, seed),
            settings, new Random(seed))));
      }
      List<GaussianMixtureModel> starts = new ArrayList<>();
      for (Future<GaussianMixtureModel> f : screened) {
        starts.add(f.get());
      }
      return starts;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while screening starts", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * EM from every start at once over {@code data}, one distributed pass per iteration, with progress
   * logged under {@code label}.
   *
   * @param groups the group of each start: {@code pruning} compares a run with its group's leader
   */
  public static List<Outcome> together(FeatureData data, List<GaussianMixtureModel> starts,
      int[] groups, EmSettings settings, RestartPruning pruning, String label) {
    int runs = starts.size();
    // One step per shared pass: the pass over the starts, then at most maxIter iterations.
    Progress progress = new Progress(settings.maxIterations() + 1L);
    return ExpectationMaximization.runTogether(starts, groups,
        new DistributedExpectation(data.blocks()), settings, pruning,
        new ExpectationMaximization.RoundListener() {
          @Override
          public void round(int iteration, int live, double best, double seconds) {
            LOG.info("gmm {} iteration {}/{}: best mean log-likelihood {}, {}/{} runs going ({} s,"
                + " at most {} left)", label, iteration, settings.maxIterations(),
                String.format("%.6f", best), live, runs, String.format("%.2f", seconds),
                progress.step(seconds));
          }

          @Override
          public void ended(int index, Outcome o) {
            LOG.info("gmm {} init {}/{}: {} after {} iterations ({})", label, index + 1, runs,
                o.fit().meanLogLikelihood(), o.fit().iterations(), o.dropped()
                    ? "dropped: losing" : o.fit().converged() ? "converged" : "iteration limit");
          }
        });
  }

  /**
   * The best run of each group (highest final mean log-likelihood; a dropped run never wins while an
   * undropped one exists), in group order {@code 0, 1, ...}.
   */
  public static List<FitResult> best(List<Outcome> outcomes, int[] groups) {
    int n = 0;
    for (int g : groups) {
      n = Math.max(n, g + 1);
    }
    List<FitResult> best = new ArrayList<>();
    for (int g = 0; g < n; g++) {
      Outcome winner = null;
      for (int i = 0; i < outcomes.size(); i++) {
        Outcome o = outcomes.get(i);
        if (groups[i] == g && (winner == null || better(o, winner))) {
          winner = o;
        }
      }
      best.add(winner.fit());
    }
    return best;
  }

  private static List<FitResult> best(List<Outcome> outcomes) {
    return best(outcomes, new int[outcomes.size()]);
  }

  private static boolean better(Outcome o, Outcome than) {
    if (o.dropped() != than.dropped()) {
      return than.dropped();
    }
    return o.fit().meanLogLikelihood() > than.fit().meanLogLikelihood();
  }

  private static String label(EmSettings settings) {
    return "k=" + settings.k() + " " + settings.covarianceType().id();
  }

  private static void checkK(FeatureData data, EmSettings settings) {
    if (data.distinctRows() < settings.k()) {
      throw new UserInputException("k = " + settings.k() + " is larger than the number of distinct rows ("
          + data.distinctRows() + ")");
    }
  }
}
