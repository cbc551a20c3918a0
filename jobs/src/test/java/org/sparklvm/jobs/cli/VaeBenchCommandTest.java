package org.sparklvm.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.model.ModelMetadata;
import org.sparklvm.jobs.SparkTests;

/**
 * {@code lvm bench vae} end to end on tiny generated data: the table and the JSON line, without the
 * PyTorch twin (an interpreter that does not exist) and, where Debian's python3-torch is installed,
 * with it.
 */
class VaeBenchCommandTest {

  /** Debian's interpreter, which has python3-torch where it is installed. */
  private static final String DEBIAN_PYTHON = "/usr/bin/python3";

  private static Cli bench(String python, String... more) {
    List<String> args = new ArrayList<>(List.of("bench", "vae", "--rows", "600", "--dims", "16",
        "--latent-dim", "2", "--encoder", "16", "--decoder", "16", "--epochs", "2",
        "--batch-size-per-worker", "16", "--averaging-frequency", "2", "--held-out-rows", "40",
        "--importance-samples", "50", "--validation-fraction", "0.1", "--master", "local[2]",
        "--python", python));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void withoutTorchPrintsOursAloneAndSaysWhy() throws Exception {
    SparkTests.spark();
    Cli r = bench("/nonexistent/python3");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("PyTorch not found: /nonexistent/python3 -c 'import torch'"),
        r.out());
    JsonNode j = ModelMetadata.JSON.readTree(r.lastLine());
    assertEquals("bench vae", j.get("command").asText());
    assertEquals("16-16-2-16-16 bernoulli", j.get("network").asText());
    assertEquals(40, j.get("heldOutRows").asInt());
    assertTrue(j.get("examplesPerSecond").asDouble() > 0, r.lastLine());
    assertTrue(j.get("examplesPerCpuSecond").asDouble() > 0, r.lastLine());
    assertTrue(j.get("twinExamplesPerSecond").isNull() && j.get("ratio").isNull()
        && j.get("cpuRatio").isNull(), r.lastLine());
    assertBounds(j.get("heldOutElbo").asDouble(), j.get("heldOutIwae").asDouble(), 16);
  }

  @Test
  void withTorchTheTwinRunsOnTheSameRows() throws Exception {
    assumeTrue(imports(DEBIAN_PYTHON, "torch"), DEBIAN_PYTHON + " has no torch");
    SparkTests.spark();
    Cli r = bench(DEBIAN_PYTHON);
    assertEquals(0, r.exitCode(), r.err());
    JsonNode j = ModelMetadata.JSON.readTree(r.lastLine());
    double ours = j.get("examplesPerSecond").asDouble();
    double twin = j.get("twinExamplesPerSecond").asDouble();
    assertTrue(twin > 0, r.lastLine());
    assertEquals(ours / twin, j.get("ratio").asDouble(), 1e-9 * ours / twin);
    assertEquals(j.get("examplesPerCpuSecond").asDouble()
        / j.get("twinExamplesPerCpuSecond").asDouble(), j.get("cpuRatio").asDouble(), 1e-9);
    assertTrue(r.out().contains("ratio spark-lvm / PyTorch"), r.out());
    assertBounds(j.get("twinHeldOutElbo").asDouble(), j.get("twinHeldOutIwae").asDouble(), 16);
    // The same network trained the same way on the same rows: log-likelihoods of a kind.
    assertEquals(j.get("twinHeldOutIwae").asDouble(), j.get("heldOutIwae").asDouble(), 3.0,
        r.lastLine());
  }

  @Test
  void noHeldOutRowsIsBadUsage() {
    SparkTests.spark();
    Cli r = bench("/nonexistent/python3", "--validation-fraction", "0");
    assertEquals(2, r.exitCode(), r.out());
    assertTrue(r.err().contains("--validation-fraction"), r.err());
    assertTrue(r.out().isEmpty(), r.out());
  }

  /**
   * Binary rows of {@code dims} bits: log p(x) <= 0, and the importance-sampled bound is no lower
   * than the ELBO (IWAE_K >= ELBO in expectation; 40 rows, 50 draws: up to 0.5 nats of noise), and
   * a trained model does better than a fair coin per bit minus a generous margin.
   */
  private static void assertBounds(double elbo, double iwae, int dims) {
    assertTrue(iwae < 0, "log p(x) of bits is negative: " + iwae);
    assertTrue(iwae > elbo - 0.5, "IWAE " + iwae + " below the ELBO " + elbo);
    assertTrue(iwae > -dims * Math.log(2) - 3, "IWAE " + iwae + " far below coin flips");
  }

  private static boolean imports(String python, String module) {
    try {
      return new ProcessBuilder(python, "-c", "import " + module).start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
