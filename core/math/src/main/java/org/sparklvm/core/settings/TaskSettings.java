package org.sparklvm.core.settings;

import static org.sparklvm.core.settings.Setting.Range.atLeast;
import static org.sparklvm.core.settings.Setting.Range.open;

import java.util.List;

/**
 * The settings of the tasks other than fitting (sampling, scoring, plots, benchmarks), declared
 * once as the fits' are in {@code EmSettings} and {@code VaeSettings}.
 */
public final class TaskSettings {

  /** Rows to draw ({@code gmm sample}, {@code vae sample}). */
  public static final Setting<Long> SAMPLE_ROWS =
      Setting.longInteger("--n", null, null, atLeast(0), "Rows to draw");
  public static final Setting<Long> SAMPLE_SEED = Setting.seed("Seed of the draws");
  /** Output partitions of {@code gmm sample}; none: Spark's default parallelism. */
  public static final Setting<Integer> SAMPLE_PARTITIONS = Setting.integer("--partitions", null,
      null, atLeast(1), "Output partitions (default: Spark's parallelism)");

  /** Both families' scoring: flag rows whose log p(x) is below this quantile of the training's. */
  public static final Setting<Double> ANOMALY_QUANTILE = Setting.real("--anomaly-quantile",
      "anomalyQuantile", null, open(0, 1), "Add anomaly: the row's log p(x) (logLikelihood)"
          + " is below this quantile of the model's reference rows");

  /** {@code gmm score --stream}: stop by itself after this many micro-batches; none: when stopped. */
  public static final Setting<Integer> STREAM_MAX_BATCHES = Setting.integer("--max-batches", null,
      null, atLeast(1), "With --stream: stop cleanly after this many micro-batches"
          + " (default: run until stopped)");
  /** Spark's {@code maxFilesPerTrigger} of the streaming file source; none: every new file. */
  public static final Setting<Integer> STREAM_FILES_PER_BATCH = Setting.integer(
      "--files-per-batch", null, null, atLeast(1),
      "With --stream: at most this many new files per micro-batch (default: all new files)");
  /**
   * How often the streaming file source looks for new files: Spark's default trigger lists the
   * directory again 10 ms after an empty look, which a remote file system should not have to bear.
   */
  public static final Setting<Double> STREAM_TRIGGER_SECONDS = Setting.real("--trigger-seconds",
      null, 1.0, atLeast(0), "With --stream: start a micro-batch at most this often"
          + " (0: as soon as the previous one ends)");

  /**
   * {@code gmm fit --online --stream}: publish the model after every this many micro-batches, each
   * a complete model directory {@code OUTPUT/vNNNNNN}.
   */
  public static final Setting<Integer> STREAM_PUBLISH_EVERY = Setting.integer("--publish-every",
      "publishEvery", 1, atLeast(1), "With --stream: write the next model version OUTPUT/vNNNNNN"
          + " after every this many micro-batches");

  /** K of {@code vae score}'s importance-sampled log-likelihood. */
  public static final Setting<Integer> SCORE_IMPORTANCE_SAMPLES = Setting.integer(
      "--importance-samples", "importanceSamples", 1000, atLeast(1),
      "K draws per row for logLikelihood");
  public static final Setting<Integer> SCORE_ELBO_SAMPLES = Setting.integer("--elbo-samples",
      "elboSamples", 10, atLeast(1), "Draws per row for the ELBO's reconstruction term");
  public static final Setting<String> SCORE_PROPOSAL = Setting.choice("--proposal", "proposal",
      "posterior", List.of("posterior", "prior"),
      "posterior (q(z|x), the IWAE estimate) or prior (naive Monte Carlo)");
  public static final Setting<Long> SCORE_SEED = Setting.seed("Seed of the draws of z");

  /** {@code lvm plot}: the seed of a VAE's sample grid; none: the model's own seed. */
  public static final Setting<Long> PLOT_SEED = Setting.longInteger("--seed", null, null,
      Setting.Range.ANY, "Seed of a VAE's sample grid (default: the model's)");

  /** {@code lvm bench gmm}: the planted data and the run. */
  public static final Setting<Long> BENCH_ROWS =
      Setting.longInteger("--rows", null, 200_000L, atLeast(1), "Rows of planted data");
  public static final Setting<Integer> BENCH_DIMS =
      Setting.integer("--dims", null, 32, atLeast(1), "Dimensions of the planted data");
  public static final Setting<Integer> BENCH_K =
      Setting.integer("--k", null, 16, atLeast(1), "Components, planted and fitted");
  public static final Setting<Integer> BENCH_ITERATIONS =
      Setting.integer("--iterations", null, 10, atLeast(1), "EM iterations timed, each side");
  public static final Setting<Long> BENCH_SEED = Setting.seed("Seed of the data and the start");
  /** How far apart the planted components lie: today's well-separated data, or overlapping. */
  public static final Setting<String> BENCH_SEPARATION = Setting.choice("--separation", null,
      "separated", List.of("separated", "overlapping"),
      "separated (means 4 N(0, I), covariances G G^T/d + I/2) or overlapping (the same means,"
          + " x = mu + 8 (I + G/(4 sqrt d)) z)");
  /** Scale runs time spark-lvm alone: MLlib alone takes some 15 times as long. */
  public static final Setting<String> BENCH_PEERS = Setting.choice("--peers", null, "all",
      List.of("all", "none"), "all (Spark MLlib, and scikit-learn when installed) or none"
          + " (spark-lvm alone)");

  private TaskSettings() {}
}
