package org.sparklvm.jobs.gmm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.FitResult;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.gmm.Initializer;
import org.sparklvm.core.gmm.OnlineSettings;
import org.sparklvm.core.gmm.StepwiseEm;
import org.sparklvm.core.gmm.SufficientStatistics;
import org.sparklvm.core.model.MixtureSummary;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;
import org.sparklvm.jobs.score.StreamBatches;
import org.sparklvm.jobs.store.ModelStore;
import org.sparklvm.jobs.store.PlotSample;
import org.sparklvm.jobs.store.StoredModel;

/**
 * Fits a mixture by online (stepwise) EM to the rows that land in a directory ({@code gmm fit
 * --online --stream}): each micro-batch's rows are checked ({@link StreamBatches}; bad ones go to the
 * rejects with their reason), the good ones become blocks ({@link FeatureData}), their statistics
 * under the current mixture are taken on the cluster ({@link DistributedExpectation}) and feed one
 * {@link StepwiseEm#step}. After every {@code publishEvery} micro-batches the mixture is written as a
 * complete model directory {@code output/vNNNNNN} ({@link ModelStore#save}, atomic), its summary's
 * {@code version} N, its {@code meanLogLikelihood} and history the prequential mean log p(x) of the
 * rows seen so far (each row scored under the mixture before its batch's step), its anomaly
 * reference the latest micro-batch's rows under the published mixture.
 *
 * <p>The start is a given mixture, else k-means++ ({@link Initializer#screened}) on the first
 * micro-batches' rows once they hold k distinct rows (until then up to {@value #BUFFER_ROWS} rows
 * are held on the driver and taken into the first step). The checkpoint keeps the source's position;
 * the running statistics are not kept, so a restarted fit starts from the newest published version
 * (a warm start: its first step is its first micro-batch alone).
 */
public final class OnlineStreamFitJob {

  /** Rows held on the driver while a cold start waits for k distinct rows. */
  public static final int BUFFER_ROWS = MixtureFitter.INIT_SAMPLE_ROWS;
  /** The prefix of a published version's folder, {@code v000001}. */
  public static final String VERSION_PREFIX = "v";

  private static final Logger LOG = LoggerFactory.getLogger(OnlineStreamFitJob.class);

  private OnlineStreamFitJob() {}

  /** What one run did. */
  public record Result(long batches, long rows, long rejected, long versions, String latest) {}

  /** Where the run starts: a mixture, the prequential figures so far, the next version. */
  public record Resume(WarmStart start, long nextVersion, double logLikelihood, double weight,
      long rows, List<Double> history) {

    /** A fresh fit from {@code start} (null: k-means++ on the first micro-batches). */
    public static Resume fresh(WarmStart start) {
      return new Resume(start, 1, 0.0, 0.0, 0, List.of());
    }
  }

  /** The folder of version {@code n} under {@code output}. */
  public static String versionPath(String output, long n) {
    return new Path(output, String.format("%s%06d", VERSION_PREFIX, n)).toString();
  }

  /**
   * The newest published version under {@code output} (the highest {@code vNNNNNN}; hidden folders,
   * such as a version being written, are skipped) as a path under {@code output}, or null for none.
   */
  public static String newestVersion(Configuration conf, String output) throws IOException {
    Path dir = new Path(output);
    FileSystem fs = dir.getFileSystem(conf);
    if (!fs.exists(dir)) {
      return null;
    }
    String newest = null;
    long highest = 0;
    for (FileStatus f : fs.listStatus(dir)) {
      String name = f.getPath().getName();
      if (f.isDirectory() && name.matches(VERSION_PREFIX + "\\d{6,}")
          && Long.parseLong(name.substring(1)) > highest) {
        highest = Long.parseLong(name.substring(1));
        newest = new Path(output, name).toString();
      }
    }
    return newest;
  }

  /**
   * Continues from the newest version under {@code output}: its mixture as a warm start, its
   * prequential figures, the next version's number; or {@code Resume.fresh(start)} when none.
   */
  public static Resume resume(SparkSession spark, String output, WarmStart start)
      throws IOException {
    String newest = newestVersion(spark.sparkContext().hadoopConfiguration(), output);
    if (newest == null) {
      return Resume.fresh(start);
    }
    WarmStart last = WarmStart.load(spark, "the newest version", newest);
    MixtureSummary s = ModelStore.load(spark, MixtureKind.INSTANCE, newest).summary();
    long n = Long.parseLong(new Path(newest).getName().substring(1));
    LOG.info("gmm fit --stream: continuing from {} (version {})", newest, n);
    return new Resume(last, n + 1, s.meanLogLikelihood() * s.totalWeight(), s.totalWeight(),
        s.rows(), s.logLikelihoodHistory());
  }

  /**
   * Runs the stream until it fails, is stopped, or has processed {@code maxBatches} micro-batches.
   *
   * @param columns the feature columns resolved against the stream's schema
   * @param dim the rows' dimension (the starting mixture's, or the numeric columns')
   * @param publishEvery micro-batches between two published versions
   * @param maxBatches micro-batches to process before stopping, or null to run until stopped
   * @throws StreamingQueryException when the query fails
   */
  public static Result run(SparkSession spark, Dataset<Row> stream, FeatureColumns columns,
      int dim, EmSettings settings, OnlineSettings online, Resume resume, int publishEvery,
      StreamBatches.Sinks sinks, Integer maxBatches, long triggerMillis, String source)
      throws StreamingQueryException, TimeoutException, IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    State state = new State(spark, columns, dim, settings, online, resume, publishEvery, sinks,
        source);
    StreamBatches batches = new StreamBatches(stream.schema(), columns, dim);
    long n = batches.run(stream, sinks.checkpoint(), (batch, id) -> state.accept(batch, id, conf),
        maxBatches, triggerMillis, conf);
    return new Result(n, state.rows, state.rejected, state.published, state.latest);
  }

  /** The fit's state between micro-batches, on the driver. */
  private static final class State {
    private final SparkSession spark;
    private final FeatureColumns columns;
    private final int dim;
    private final EmSettings settings;
    private final OnlineSettings online;
    private final int publishEvery;
    private final StreamBatches.Sinks sinks;
    private final String source;
    private final String initModel;
    private final long t0 = System.nanoTime();
    private final List<RowBlock> buffered = new ArrayList<>();
    private final List<Double> history;
    private StepwiseEm em;
    private long nextVersion;
    private double logLikelihood;
    private double weight;
    private long seenRows;
    private int sincePublished;
    private long rows;
    private long rejected;
    private long published;
    private String latest;

    State(SparkSession spark, FeatureColumns columns, int dim, EmSettings settings,
        OnlineSettings online, Resume resume, int publishEvery, StreamBatches.Sinks sinks,
        String source) {
      this.spark = spark;
      this.columns = columns;
      this.dim = dim;
      this.settings = settings;
      this.online = online;
      this.publishEvery = publishEvery;
      this.sinks = sinks;
      this.source = source;
      this.initModel = resume.start() != null ? resume.start().origin() : null;
      this.em = resume.start() != null
          ? new StepwiseEm(resume.start().model(), online, settings.regCovar()) : null;
      this.nextVersion = resume.nextVersion();
      this.logLikelihood = resume.logLikelihood();
      this.weight = resume.weight();
      this.seenRows = resume.rows();
      this.history = new ArrayList<>(resume.history());
    }

    void accept(StreamBatches.Split batch, long id, Configuration conf) throws IOException {
      long all = batch.all().count();
      long bad = batch.bad().count();
      if (bad > 0) {
        StreamBatches.writeBatch(conf, sinks.rejects(), id, batch.bad());
      }
      rejected += bad;
      rows += all - bad;
      if (all == bad) {
        LOG.info("gmm fit --stream: batch {}: no usable rows ({} rejected)", id, bad);
        return;
      }
      try (FeatureData data = FeatureData.of(batch.good(), columns, dim, settings.k(),
          source + " batch " + id)) {
        SufficientStatistics s = statistics(data, id);
        if (s == null) {
          return;
        }
        logLikelihood += s.logLikelihood();
        weight += s.totalWeight();
        seenRows += s.rows();
        history.add(logLikelihood / weight);
        em.step(s);
        LOG.info("gmm fit --stream: batch {}: {} rows used, {} rejected; step {}, prequential mean"
            + " log-likelihood {}", id, all - bad, bad, em.steps(),
            String.format("%.6f", logLikelihood / weight));
        if (++sincePublished >= publishEvery) {
          publish(data);
          sincePublished = 0;
        }
      }
    }

    /**
     * The micro-batch's statistics under the current mixture (with the rows a cold start held), or
     * null while a cold start still waits for k distinct rows.
     */
    private SufficientStatistics statistics(FeatureData data, long id) {
      if (em == null) {
        RowBlock sample = data.sample(BUFFER_ROWS, settings.seed());
        List<RowBlock> seen = new ArrayList<>(buffered);
        seen.add(sample);
        RowBlock pool = RowBlock.concat(seen, dim);
        if (distinct(pool, settings.k()) < settings.k()) {
          int room = BUFFER_ROWS - buffered.stream().mapToInt(RowBlock::rows).sum();
          if (room > 0) {
            buffered.add(sample.subsample(room, new Random(settings.seed() + id)));
          }
          LOG.info("gmm fit --stream: batch {}: fewer than k = {} distinct rows so far; waiting"
              + " for more micro-batches (holding {} rows, at most {})", id, settings.k(),
              buffered.stream().mapToInt(RowBlock::rows).sum(), BUFFER_ROWS);
          return null;
        }
        try {
          em = new StepwiseEm(Initializer.screened(pool, settings, new Random(settings.seed())),
              online, settings.regCovar());
        } catch (IllegalArgumentException e) {
          throw new UserInputException(e.getMessage(), e);
        }
        LOG.info("gmm fit --stream: k-means++ start from {} rows", pool.rows());
      }
      SufficientStatistics s = new DistributedExpectation(data.blocks()).expect(em.model());
      if (!buffered.isEmpty()) {
        SufficientStatistics held = new SufficientStatistics(em.model());
        buffered.forEach(held::add);
        s = s.merge(held);
        buffered.clear();
      }
      return s;
    }

    private void publish(FeatureData data) throws IOException {
      long version = nextVersion++;
      FitResult fit = new FitResult(em.model(), (int) em.steps(), false, history, weight,
          seenRows, em.reinitializations());
      StoredModel<GaussianMixtureModel, MixtureSummary> stored = MixtureFitJob.describe(spark,
          columns, data.blocks(), data.sample(PlotSample.ROWS, settings.seed()), fit, settings,
          source, (System.nanoTime() - t0) / 1e9, null, version);
      ObjectNode params = stored.metadata().params();
      params.put("online", true);
      params.put("stream", true);
      params.put("stepDecay", online.stepDecay());
      params.put("publishEvery", publishEvery);
      if (initModel != null) {
        params.put("initModel", initModel);
      }
      String path = versionPath(sinks.output(), version);
      ModelStore.save(spark, stored, path, false);
      published++;
      latest = path;
      LOG.info("gmm fit --stream: published {} (version {}, {} rows seen)", path, version,
          seenRows);
    }

    private static int distinct(RowBlock block, int cap) {
      Set<List<Double>> seen = new HashSet<>();
      for (int i = 0; i < block.rows() && seen.size() < cap; i++) {
        List<Double> row = new ArrayList<>(block.dim());
        for (double v : block.row(i)) {
          row.add(v);
        }
        seen.add(row);
      }
      return seen.size();
    }
  }
}
