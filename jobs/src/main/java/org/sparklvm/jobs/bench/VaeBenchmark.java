package org.sparklvm.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.DataSet;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.core.model.ModelMetadata;
import org.sparklvm.core.settings.Setting;
import org.sparklvm.core.vae.ImportanceSampler;
import org.sparklvm.core.vae.Likelihood;
import org.sparklvm.core.vae.VaeArchitecture;
import org.sparklvm.core.vae.VaeSettings;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;
import org.sparklvm.jobs.data.Generated;
import org.sparklvm.jobs.score.RowScorer;
import org.sparklvm.jobs.vae.TrainedVae;
import org.sparklvm.jobs.vae.VaeFitJob;
import org.sparklvm.jobs.vae.VaeScorer;
import org.sparklvm.jobs.vae.VaeTrainer;

/**
 * VAE training, ours (dl4j-spark parameter averaging, as {@code vae fit} trains) against a PyTorch
 * twin ({@code deploy/bench/vae_twin.py}) of the same architecture, likelihood, optimiser, learning
 * rate, total minibatch ({@code batchSizePerWorker} times the workers), epochs and rows, with as many
 * threads as the Spark master has cores. Both are timed on training alone, and both are scored on the
 * same held-out rows: the ELBO (one draw per row) and the importance-sampled log-likelihood
 * IWAE(K), log (1/K) sum_k p(x, z_k)/q(z_k|x) (Burda et al. 2016), means per row.
 */
public final class VaeBenchmark {

  /** {@code --rows}: generated rows when no input is given. */
  public static final Setting<Long> ROWS = Setting.longInteger("--rows", null, 10_000L,
      Setting.Range.atLeast(2), "Rows of generated data; with --input, its first rows (default: all)");
  /** {@code --dims}: their dimension. */
  public static final Setting<Integer> DIMS = Setting.integer("--dims", null, 784,
      Setting.Range.atLeast(1), "Dimensions of generated data (without --input)");
  /** {@code --held-out-rows}: how many held-out rows both sides are scored on. */
  public static final Setting<Integer> HELD_OUT_ROWS = Setting.integer("--held-out-rows", null,
      1000, Setting.Range.atLeast(1),
      "Held-out rows (of the --validation-fraction split) scored by both, K draws each");

  private static final String SCRIPT = "vae_twin.py";
  /** Held-out rows scored per Spark task. */
  private static final int SCORE_CHUNK = 50;

  private VaeBenchmark() {}

  /**
   * What was measured. Examples per second count training rows times epochs over the seconds spent
   * training (not reading, batching, scoring or starting up); held-out figures are means per row.
   *
   * @param twinMissing why the twin did not run, or null when it did
   */
  public record Report(long trainRows, int heldOutRows, int dims, String network, int epochs,
      int workers, int batchSizePerWorker, int averagingFrequency, int importanceSamples,
      double examplesPerSecond, double examplesPerCpuSecond, double heldOutElbo,
      double heldOutIwae, double twinExamplesPerSecond, double twinExamplesPerCpuSecond,
      double twinHeldOutElbo, double twinHeldOutIwae, String twinVersion, String twinMissing) {

    /** Our examples per second over the twin's; NaN without the twin. */
    public double ratio() {
      return examplesPerSecond / twinExamplesPerSecond;
    }

    /**
     * The same per CPU second (process CPU time while training): less sensitive than wall time to
     * other work on a shared machine. Ours counts this JVM, executors included in local mode.
     */
    public double cpuRatio() {
      return examplesPerCpuSecond / twinExamplesPerCpuSecond;
    }

    /** The fields of the last stdout line; NaN becomes null. */
    public ObjectNode json(ObjectNode n) {
      n.put("trainRows", trainRows);
      n.put("heldOutRows", heldOutRows);
      n.put("dims", dims);
      n.put("network", network);
      n.put("epochs", epochs);
      n.put("workers", workers);
      n.put("batchSizePerWorker", batchSizePerWorker);
      n.put("averagingFrequency", averagingFrequency);
      n.put("importanceSamples", importanceSamples);
      BenchJson.number(n, "examplesPerSecond", examplesPerSecond);
      BenchJson.number(n, "twinExamplesPerSecond", twinExamplesPerSecond);
      BenchJson.number(n, "ratio", ratio());
      BenchJson.number(n, "examplesPerCpuSecond", examplesPerCpuSecond);
      BenchJson.number(n, "twinExamplesPerCpuSecond", twinExamplesPerCpuSecond);
      BenchJson.number(n, "cpuRatio", cpuRatio());
      BenchJson.number(n, "heldOutElbo", heldOutElbo);
      BenchJson.number(n, "heldOutIwae", heldOutIwae);
      BenchJson.number(n, "twinHeldOutElbo", twinHeldOutElbo);
      BenchJson.number(n, "twinHeldOutIwae", twinHeldOutIwae);
      n.put("twinVersion", twinVersion);
      n.put("twinMissing", twinMissing);
      return n;
    }

  }

  /**
   * Planted rows for {@code --rows}/{@code --dims}: z ~ N(0, I_4), x_j ~ Bernoulli(sigmoid(2 a_j . z))
   * with fixed a_j ~ N(0, I) (Bernoulli), or x = A z + N(0, 0.1^2 I) (Gaussian), in a vector column
   * {@code features}.
   */
  public static Dataset<Row> generated(SparkSession spark, long rows, int dims,
      Likelihood likelihood, long seed) {
    int latent = 4;
    Random init = new Random(seed);
    double[] a = new double[dims * latent];
    for (int i = 0; i < a.length; i++) {
      a[i] = init.nextGaussian();
    }
    boolean bernoulli = likelihood == Likelihood.BERNOULLI;
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<Row> made = Generated.rows(sc, rows, sc.defaultParallelism(), seed, random -> () -> {
      double[] z = new double[latent];
      for (int l = 0; l < latent; l++) {
        z[l] = random.nextGaussian();
      }
      double[] x = new double[dims];
      for (int j = 0; j < dims; j++) {
        double s = 0;
        for (int l = 0; l < latent; l++) {
          s += a[j * latent + l] * z[l];
        }
        x[j] = bernoulli ? (random.nextDouble() < 1 / (1 + Math.exp(-2 * s)) ? 1 : 0)
            : s + 0.1 * random.nextGaussian();
      }
      return RowFactory.create(Vectors.dense(x));
    });
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType(), false);
    return spark.createDataFrame(made, schema);
  }

  /**
   * Trains ours, then the twin when {@code python} imports torch, and scores both.
   *
   * @param settings the VAE and its training, as {@code vae fit} takes them; its validation fraction
   *     is the held-out split
   * @param heldOutRows at most this many held-out rows are scored
   * @param work a folder of the bench's own (checkpoints of ours), removed by the caller
   * @throws UserInputException when the validation fraction is 0, or holds no row out
   */
  public static Report run(SparkSession spark, Dataset<Row> table, FeatureColumns columns,
      VaeSettings settings, int heldOutRows, String python, String work) throws IOException {
    if (settings.validationFraction() <= 0) {
      throw new UserInputException("bench vae scores held-out rows: give --validation-fraction"
          + " above 0");
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int workers = sc.defaultParallelism();
    FeatureColumns checked =
        settings.likelihood() == Likelihood.BERNOULLI ? columns.requireUnitInterval() : columns;
    try (FeatureData data = FeatureData.of(table, checked, 0, 0, "bench data")) {
      JavaRDD<DataSet>[] split = data.blocks().flatMap(VaeFitJob::examples).randomSplit(
          new double[] {1 - settings.validationFraction(), settings.validationFraction()},
          settings.seed());
      JavaRDD<DataSet> train =
          VaeTrainer.perWorker(split[0]).persist(StorageLevel.MEMORY_AND_DISK());
      List<double[]> heldOut = split[1].take(heldOutRows).stream()
          .map(d -> d.getFeatures().toDoubleVector()).toList();
      if (heldOut.isEmpty()) {
        throw new UserInputException("--validation-fraction " + settings.validationFraction()
            + " of " + data.rows() + " rows held out none");
      }
      VaeArchitecture arch =
          settings.architecture(data.dim(), Math.max(256, settings.batchSizePerWorker()));
      Path folder = Files.createTempDirectory("lvm-bench-vae");
      try {
        long trainRows = writeRows(train.toLocalIterator(), folder.resolve("train.f32"));
        writeHeldOut(heldOut, folder.resolve("heldout.f32"));
        VaeTrainer.Result ours = VaeTrainer.train(sc, arch, train, null,
            new VaeTrainer.Settings(settings.epochs(), settings.batchSizePerWorker(),
                settings.averagingFrequency(), settings.klWarmupEpochs(), settings.seed(), work,
                false));
        double seconds = ours.trainSeconds().stream().mapToDouble(Double::doubleValue).sum();
        double cpuSeconds =
            ours.trainCpuSeconds().stream().mapToDouble(Double::doubleValue).sum();
        double[] scores = score(sc, new TrainedVae(ours.network(), arch), heldOut, data.dim(),
            settings.importanceSamples(), settings.seed());
        JsonNode twin = null;
        String missing = PythonPeer.missing(python, "torch", "PyTorch", SCRIPT);
        if (missing == null) {
          Files.writeString(folder.resolve("settings.json"), twinSettings(settings, arch,
              trainRows, heldOut.size(), workers));
          twin = PythonPeer.run(python, SCRIPT, List.of(folder.toString(),
              Integer.toString(workers)), workers);
        }
        return new Report(trainRows, heldOut.size(), data.dim(), network(arch), settings.epochs(),
            workers, settings.batchSizePerWorker(), settings.averagingFrequency(),
            settings.importanceSamples(), trainRows * (double) settings.epochs() / seconds,
            cpuSeconds > 0 ? trainRows * (double) settings.epochs() / cpuSeconds : Double.NaN,
            scores[0], scores[1], value(twin, "examplesPerSecond"),
            value(twin, "examplesPerCpuSecond"), value(twin, "heldOutElbo"),
            value(twin, "heldOutIwae"), twin == null ? null : twin.get("version").asText(),
            missing);
      } finally {
        train.unpersist(false);
        PythonPeer.delete(folder);
      }
    }
  }

  private static double value(JsonNode twin, String field) {
    return twin == null ? Double.NaN : twin.get(field).asDouble();
  }

  /** e.g. {@code 784-256-16-256-784 bernoulli}. */
  static String network(VaeArchitecture a) {
    StringBuilder s = new StringBuilder().append(a.inputDim());
    for (int h : a.encoderLayers()) {
      s.append('-').append(h);
    }
    s.append('-').append(a.latentDim());
    for (int h : a.decoderLayers()) {
      s.append('-').append(h);
    }
    return s.append('-').append(a.inputDim()).append(' ').append(a.likelihood().id()).toString();
  }

  /**
   * The held-out rows' mean ELBO (one draw) and IWAE(K) under our network, as {@code vae score}
   * computes them, the rows spread over the cluster in small tasks.
   */
  private static double[] score(JavaSparkContext sc, TrainedVae trained, List<double[]> rows,
      int dim, int samples, long seed) {
    List<RowBlock> chunks = new ArrayList<>();
    for (int start = 0; start < rows.size(); start += SCORE_CHUNK) {
      List<double[]> part = rows.subList(start, Math.min(rows.size(), start + SCORE_CHUNK));
      double[] values = new double[part.size() * dim];
      for (int r = 0; r < part.size(); r++) {
        System.arraycopy(part.get(r), 0, values, r * dim, dim);
      }
      chunks.add(new RowBlock(part.size(), dim, values, null));
    }
    try (VaeScorer scorer = new VaeScorer(sc, trained,
        new VaeScorer.Options(samples, ImportanceSampler.Proposal.POSTERIOR, 1, seed))) {
      double[] sums = sc.parallelize(chunks, chunks.size())
          .mapPartitionsWithIndex((p, it) -> sums(scorer, p, it), false)
          .reduce(VaeBenchmark::add);
      return new double[] {sums[0] / rows.size(), sums[1] / rows.size()};
    }
  }

  private static Iterator<double[]> sums(RowScorer scorer, int partition, Iterator<RowBlock> it) {
    RowScorer.Partition scoring = scorer.open(partition);
    double[] sums = new double[2];
    while (it.hasNext()) {
      RowBlock block = it.next();
      double[] logLikelihood = new double[block.rows()];
      Object[][] columns = new Object[block.rows()][3];
      scoring.score(block, logLikelihood, columns);
      for (int r = 0; r < block.rows(); r++) {
        sums[0] += (Double) columns[r][0];
        sums[1] += logLikelihood[r];
      }
    }
    return List.of(sums).iterator();
  }

  private static double[] add(double[] a, double[] b) {
    return new double[] {a[0] + b[0], a[1] + b[1]};
  }

  private static String twinSettings(VaeSettings s, VaeArchitecture a, long trainRows,
      int heldOutRows, int workers) throws IOException {
    ObjectNode n = ModelMetadata.JSON.createObjectNode();
    n.put("trainRows", trainRows);
    n.put("heldOutRows", heldOutRows);
    n.put("dims", a.inputDim());
    n.put("latentDim", a.latentDim());
    ArrayNode encoder = n.putArray("encoder");
    for (int h : a.encoderLayers()) {
      encoder.add(h);
    }
    ArrayNode decoder = n.putArray("decoder");
    for (int h : a.decoderLayers()) {
      decoder.add(h);
    }
    n.put("likelihood", a.likelihood().id());
    n.put("learningRate", a.learningRate());
    // One averaged step of ours consumes batchSizePerWorker rows on each worker.
    n.put("batchSize", s.batchSizePerWorker() * workers);
    n.put("epochs", s.epochs());
    n.put("importanceSamples", s.importanceSamples());
    n.put("seed", s.seed());
    return ModelMetadata.JSON.writeValueAsString(n);
  }

  /** Rows as little-endian float32, row-major, for numpy's {@code fromfile}. */
  private static long writeRows(Iterator<DataSet> rows, Path file) throws IOException {
    long n = 0;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      while (rows.hasNext()) {
        write(out, rows.next().getFeatures().toFloatVector());
        n++;
      }
    }
    return n;
  }

  private static void writeHeldOut(List<double[]> rows, Path file) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      for (double[] row : rows) {
        float[] f = new float[row.length];
        for (int j = 0; j < row.length; j++) {
          f[j] = (float) row[j];
        }
        write(out, f);
      }
    }
  }

  private static void write(OutputStream out, float[] x) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(x);
    out.write(buf.array());
  }
}
