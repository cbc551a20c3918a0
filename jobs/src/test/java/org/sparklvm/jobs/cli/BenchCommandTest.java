package org.sparklvm.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.model.ModelMetadata;
import org.sparklvm.jobs.SparkTests;

/** {@code lvm bench gmm} end to end on a tiny table: three rows of figures and the JSON line. */
class BenchCommandTest {

  @Test
  void printsTheTableAndEndsWithTheJsonLineWithOrWithoutScikitLearn() throws Exception {
    SparkTests.spark();
    Cli r = Cli.run("bench", "gmm", "--rows", "2000", "--dims", "3", "--k", "2", "--iterations",
        "2", "--separation", "overlapping", "--master", "local[2]");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode j = ModelMetadata.JSON.readTree(r.lastLine());
    assertEquals("bench gmm", j.get("command").asText());
    assertEquals("overlapping", j.get("separation").asText());
    assertTrue(j.has("sklearnSecondsPerIteration") && j.has("sklearnOverOurs"));
    // Either scikit-learn ran, or its row says why not.
    boolean ran = !j.get("sklearnSecondsPerIteration").isNull();
    assertTrue(ran || r.out().contains("scikit-learn not found: "), r.out());
    assertTrue(r.out().contains("4 N k d^2"), r.out());
    assertTrue(r.out().contains("Spark MLlib") && r.out().contains("spark-lvm"), r.out());
  }
}
