package org.sparklvm.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.model.ModelMetadata;
import org.sparklvm.jobs.SparkTests;

/** {@code lvm bench restarts} end to end on a tiny table, and its refusal of a single start. */
class BenchRestartsCommandTest {

  @Test
  void printsTheThreeWaysAndTheJsonLine() throws Exception {
    SparkTests.spark();
    Cli r = Cli.run("bench", "restarts", "--rows", "3000", "--dims", "3", "--k", "3", "--n-init",
        "3", "--covariance", "diag", "--separation", "separated", "--master", "local[2]");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode j = ModelMetadata.JSON.readTree(r.lastLine());
    assertEquals("bench restarts", j.get("command").asText());
    assertEquals(3, j.get("restarts").asInt());
    assertEquals(3, j.get("dropIterations").size());
    // Separate and shared runs start from the same mixtures: the same best, the separate runs'.
    assertEquals(j.get("separateMeanLogLikelihood").asDouble(),
        j.get("sharedMeanLogLikelihood").asDouble(), 1e-12);
    assertTrue(j.get("separateMeanLogLikelihood").asDouble()
        >= j.get("oneMeanLogLikelihood").asDouble());
    assertTrue(r.out().contains("3 shared") && r.out().contains("winner dropped"), r.out());
  }

  @Test
  void oneStartIsBadUsage() {
    Cli r = Cli.run("bench", "restarts", "--n-init", "1", "--master", "local[2]");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("--n-init must be at least 2"), r.err());
  }
}
