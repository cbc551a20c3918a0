package org.sparklvm.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.model.ModelMetadata;
import org.sparklvm.jobs.SparkTests;
import org.sparklvm.jobs.bench.MixtureBenchmark.Separation;

/** The bench's planted data, its JSON line, and running without scikit-learn. */
class MixtureBenchmarkTest {

  /** Mean over drawn rows of the largest planted responsibility: 1 when nothing overlaps. */
  private static double meanMaxResponsibility(
      BiFunction<Integer, Random, GaussianMixtureModel> generator) {
    GaussianMixtureModel m = generator.apply(16, new Random(3));
    Random random = new Random(4);
    double[] x = new double[m.dim()];
    int n = 3000;
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
      m.sample(random, x);
      double best = 0.0;
      for (double r : m.responsibilities(x)) {
        best = Math.max(best, r);
      }
      sum += best;
    }
    return sum / n;
  }

  @Test
  void overlappingComponentsOverlapAndSeparatedOnesDoNot() {
    double overlapping =
        meanMaxResponsibility((k, r) -> MixtureBenchmark.overlappingMixture(k, 32, r));
    double separated = meanMaxResponsibility((k, r) -> MixtureBenchmark.plantedMixture(k, 32, r));
    // numpy's check of the same construction (d = 32, k = 16, 20,000 rows) gave 0.84.
    assertTrue(overlapping > 0.7 && overlapping < 0.92, "overlapping: " + overlapping);
    assertTrue(separated > 0.999, "separated: " + separated);
  }

  @Test
  void missingPythonIsReportedAndTheOtherTwoStillRun() throws Exception {
    MixtureBenchmark.Report r = MixtureBenchmark.run(SparkTests.spark(), 3000, 4, 3, 3, 7,
        Separation.OVERLAPPING, "/nonexistent/python3");
    assertEquals("scikit-learn not found: /nonexistent/python3 -c 'import sklearn' failed",
        r.sklearnMissing().replaceAll(" \\(.*\\)$", ""));
    JsonNode j = ModelMetadata.JSON.readTree(
        r.json(ModelMetadata.JSON.createObjectNode()).toString());
    assertTrue(j.get("sklearnSecondsPerIteration").isNull());
    assertTrue(j.get("sklearnOverOurs").isNull());
    assertTrue(j.get("sklearnMeanLogLikelihood").isNull());
    assertTrue(j.get("mllibSecondsPerIteration").isDouble());
    assertTrue(j.get("secondsPerIteration").asDouble() > 0);
    assertEquals(j.get("mllibSecondsPerIteration").asDouble()
        / j.get("secondsPerIteration").asDouble(), j.get("mllibOverOurs").asDouble(), 1e-12);
    assertEquals("overlapping", j.get("separation").asText());
    assertFalse(j.get("blas").asText().isEmpty());
    assertEquals(2, j.get("threads").asInt());
    // Same start, same iterations: MLlib ends near us (its E-step adds 2.2e-16 to each density
    // and it has no reg_covar, so not to the last digit).
    assertEquals(j.get("meanLogLikelihood").asDouble(),
        j.get("mllibMeanLogLikelihood").asDouble(), 1e-3);
    assertEquals(4.0 * 3000 * 3 * 16 / r.oursSecondsPerIteration() / 1e9,
        j.get("unprunedGflops").asDouble(), 1e-9);
    assertTrue(j.get("dgemmGflops").asDouble() > 0);
  }

  /** {@code --peers none}: spark-lvm alone, the cached blocks' size from Spark's storage. */
  @Test
  void withoutPeersOnlyOursRunsAndTheCacheIsMeasured() throws Exception {
    MixtureBenchmark.Report r = MixtureBenchmark.run(SparkTests.spark(), 3000, 4, 3, 2, 7,
        Separation.OVERLAPPING, false);
    JsonNode j = ModelMetadata.JSON.readTree(
        r.json(ModelMetadata.JSON.createObjectNode()).toString());
    assertTrue(j.get("mllibSecondsPerIteration").isNull());
    assertTrue(j.get("sklearnSecondsPerIteration").isNull());
    assertEquals("--peers none", r.sklearnMissing());
    assertTrue(j.get("secondsPerIteration").asDouble() > 0);
    // 3000 rows x 4 doubles are 96,000 bytes; Spark's estimate adds the objects around them.
    long cached = j.get("cachedMemoryBytes").asLong() + j.get("cachedDiskBytes").asLong();
    assertTrue(cached >= 96_000 && cached < 4 * 96_000, "cached " + cached);
  }

  /** Runs only where an installed python3 has scikit-learn (LVM_PYTHON, else /usr/bin/python3). */
  @Test
  void sklearnFromTheSameStartEndsWhereWeDo() throws Exception {
    String python = System.getenv("LVM_PYTHON") != null ? System.getenv("LVM_PYTHON")
        : "/usr/bin/python3";
    assumeTrue(new ProcessBuilder(python, "-c", "import sklearn").start().waitFor() == 0,
        "no scikit-learn for " + python);
    MixtureBenchmark.Report r = MixtureBenchmark.run(SparkTests.spark(), 3000, 4, 3, 3, 7,
        Separation.OVERLAPPING, python);
    assertNull(r.sklearnMissing());
    // A difference of two fits' times on 3,000 rows: finite, but under load not always above 0.
    assertTrue(Double.isFinite(r.sklearnSecondsPerIteration()));
    assertEquals(r.oursMeanLogLikelihood(), r.sklearnMeanLogLikelihood(), 1e-6);
    assertFalse(r.sklearnVersion().isEmpty());
  }
}
