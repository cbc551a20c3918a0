package org.sparklvm.jobs.gmm;

import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.ExpectationMaximization;
import org.sparklvm.core.gmm.FitResult;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.gmm.Initializer;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.jobs.Progress;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.data.FeatureData;

/**
 * Fits a mixture to cached feature blocks by distributed EM: {@code restarts} initialisations from a
 * driver-side sample (each the best of several screened by a short EM run there), each run to
 * convergence on all rows, the best final log-likelihood kept; or, warm-started, one run from a given
 * mixture.
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
    if (data.distinctRows() < settings.k()) {
      throw new UserInputException("k = " + settings.k() + " is larger than the number of distinct rows ("
          + data.distinctRows() + ")");
    }
    DistributedExpectation pass = new DistributedExpectation(data.blocks());
    int runs = start != null ? 1 : settings.restarts();
    // Each run takes at most maxIter iterations plus the pass over its start.
    Progress progress = new Progress((long) runs * (settings.maxIterations() + 1));
    if (start != null) {
      LOG.info("gmm k={} {}: warm start from {}", settings.k(), settings.covarianceType().id(),
          start.origin());
      return run(start.model(), pass, settings, 0, 1, progress);
    }
    FitResult best = null;
    for (int restart = 0; restart < settings.restarts(); restart++) {
      long seed = settings.seed() + restart;
      RowBlock sample = data.sample(INIT_SAMPLE_ROWS, seed);
      GaussianMixtureModel init = Initializer.screened(sample, settings, new Random(seed));
      FitResult fit = run(init, pass, settings, restart, runs, progress);
      if (best == null || fit.meanLogLikelihood() > best.meanLogLikelihood()) {
        best = fit;
      }
    }
    return best;
  }

  /** EM from {@code start}, run {@code r} of {@code runs}, with its progress logged. */
  private static FitResult run(GaussianMixtureModel start, DistributedExpectation pass,
      EmSettings settings, int r, int runs, Progress progress) {
    FitResult fit = ExpectationMaximization.run(start, pass, settings, (it, ll, sec) ->
        LOG.info("gmm k={} {} init {}/{} iteration {}/{}: mean log-likelihood {} ({} s, at most"
            + " {} left)", settings.k(), settings.covarianceType().id(), r + 1, runs, it,
            settings.maxIterations(), String.format("%.6f", ll), String.format("%.2f", sec),
            progress.step(sec)));
    LOG.info("gmm init {}/{}: {} after {} iterations (converged: {})", r + 1, runs,
        fit.meanLogLikelihood(), fit.iterations(), fit.converged());
    return fit;
  }
}
