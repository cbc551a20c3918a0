package org.sparklvm.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.DoubleUnaryOperator;
import org.sparklvm.jobs.UserInputException;
import picocli.CommandLine.Option;

/** {@code --anomaly-quantile} of the scoring commands. */
public final class AnomalyOption {

  @Option(names = "--anomaly-quantile", description = "Add anomaly: the row's log p(x) (logDensity,"
      + " logLikelihood) is below this quantile of the rows the model was fitted on (0 < q < 1)")
  Double quantile;

  /**
   * The threshold of the quantile asked for, NaN when none was.
   *
   * @param thresholdAt the model's threshold for a quantile
   * @throws UserInputException when the quantile is outside (0, 1)
   */
  double threshold(DoubleUnaryOperator thresholdAt) {
    if (quantile == null) {
      return Double.NaN;
    }
    try {
      return thresholdAt.applyAsDouble(quantile);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage(), e);
    }
  }

  /** Adds the threshold to the command's result line, when one was asked for. */
  void report(ObjectNode result, double threshold) {
    if (quantile != null) {
      result.put("anomalyThreshold", threshold);
    }
  }
}
