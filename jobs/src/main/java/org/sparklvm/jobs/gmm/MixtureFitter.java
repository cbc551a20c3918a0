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
 * convergence on all rows, the best final log-likelihood kept.
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
    if (data.distinctRows() < settings.k()) {
      throw new UserInputException("k = " + settings.k() + " is larger than the number of distinct rows ("
          + data.distinctRows() + ")");
    }
    DistributedExpectation pass = new DistributedExpectation(data.blocks());
    // Each restart runs at most maxIter iterations plus the pass over its start.
    Progress progress = new Progress((long) settings.restarts() * (settings.maxIterations() + 1));
    FitResult best = null;
    for (int restart = 0; restart < settings.restarts(); restart++) {
      long seed = settings.seed() + restart;
      RowBlock sample = data.sample(INIT_SAMPLE_ROWS, seed);
      GaussianMixtureModel start = Initializer.screened(sample, settings, new Random(seed));
      final int r = restart;
      FitResult fit = ExpectationMaximization.run(start, pass, settings, (it, ll, sec) ->
          LOG.info("gmm k={} {} init {}/{} iteration {}/{}: mean log-likelihood {} ({} s, at most"
              + " {} left)", settings.k(), settings.covarianceType().id(), r + 1,
              settings.restarts(), it, settings.maxIterations(), String.format("%.6f", ll),
              String.format("%.2f", sec), progress.step(sec)));
      LOG.info("gmm init {}/{}: {} after {} iterations (converged: {})", restart + 1,
          settings.restarts(), fit.meanLogLikelihood(), fit.iterations(), fit.converged());
      if (best == null || fit.meanLogLikelihood() > best.meanLogLikelihood()) {
        best = fit;
      }
    }
    return best;
  }
}
