package org.sparklvm.jobs;

/**
 * Time left in a loop of at most a known number of steps, from the mean duration of the steps done so
 * far: the "time left" of progress logs. For EM the step count is the iteration limit, so the estimate
 * is an upper bound (convergence usually comes first).
 */
public final class Progress {

  private final long totalSteps;
  private long done;
  private double seconds;

  /**
   * @throws IllegalArgumentException when {@code totalSteps} is below 1
   */
  public Progress(long totalSteps) {
    if (totalSteps < 1) {
      throw new IllegalArgumentException("a loop of " + totalSteps + " steps");
    }
    this.totalSteps = totalSteps;
  }

  /** Records a finished step of {@code stepSeconds} and returns the time left, as text. */
  public String step(double stepSeconds) {
    done++;
    seconds += stepSeconds;
    return duration(Math.max(0, totalSteps - done) * seconds / done);
  }

  /** {@code 45s}, {@code 3m05s}, {@code 2h10m}. */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
