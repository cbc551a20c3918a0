package org.sparklvm.jobs.cli;

import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.jobs.UserInputException;
import picocli.CommandLine.Option;

/** The EM options shared by {@code gmm fit} and {@code gmm select}. */
public final class EmOptions {

  @Option(names = "--max-iter", defaultValue = "100", description = "Most EM iterations (default 100)")
  int maxIter;

  @Option(names = "--tol", defaultValue = "1e-3",
      description = "Stop when the mean log-likelihood per row changes by less (default 1e-3)")
  double tol;

  @Option(names = "--reg-covar", defaultValue = "1e-6",
      description = "Added to every covariance diagonal (default 1e-6)")
  double regCovar;

  @Option(names = "--init", defaultValue = "kmeans++", description = "kmeans++ or random")
  String init;

  @Option(names = "--n-init", defaultValue = "1", description = "Initialisations; the best is kept")
  int nInit;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default 42)")
  long seed;

  /**
   * @throws UserInputException naming the option out of range
   */
  EmSettings settings(int k, String covariance) {
    try {
      return new EmSettings(k, CovarianceType.fromId(covariance), maxIter, tol, regCovar,
          EmSettings.Initialization.fromId(init), nInit, seed);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage(), e);
    }
  }
}
