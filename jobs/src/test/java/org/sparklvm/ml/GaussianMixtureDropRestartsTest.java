package org.sparklvm.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.jobs.SparkTests;

/**
 * {@code dropRestartsAfter}: made from the declaration of {@code --drop-restarts-after}, carried into
 * the fit's settings and the stored model's params, and back through a save and load.
 */
class GaussianMixtureDropRestartsTest {

  @TempDir Path dir;

  private static int storedParam(GaussianMixtureModel model) throws Exception {
    return new ObjectMapper().readTree(model.metadataJson()).get("params")
        .get("dropRestartsAfter").asInt();
  }

  @Test
  void theParamTakesItsDefaultAndRangeFromTheDeclaration() {
    GaussianMixture gm = new GaussianMixture();
    assertEquals(EmSettings.DROP_RESTARTS_AFTER.defaultValue(),
        gm.getOrDefault(gm.dropRestartsAfter()));
    assertEquals(5, gm.settings().dropRestartsAfter());
    assertTrue(gm.dropRestartsAfter().doc().endsWith("(at least 0)"), gm.dropRestartsAfter().doc());
    assertThrows(IllegalArgumentException.class, () -> gm.setDropRestartsAfter(-1));
    assertEquals(0, gm.setDropRestartsAfter(0).settings().dropRestartsAfter());
    GaussianMixture copy = gm.copy(new ParamMap().put(gm.dropRestartsAfter(), 9));
    assertEquals(9, copy.settings().dropRestartsAfter());
  }

  @Test
  void theFittedModelStoresTheValueAndKeepsItThroughSaveAndLoad() throws Exception {
    Dataset<Row> train = SparkTests.vectors(SparkTests.planted(), 3000, 41);
    GaussianMixtureModel never = new GaussianMixture().setK(3).setNInit(2).setMaxIter(20)
        .setDropRestartsAfter(0).fit(train);
    assertEquals(0, storedParam(never));
    String saved = dir.resolve("never").toString();
    never.write().save(saved);
    assertEquals(0, storedParam(GaussianMixtureModel.load(saved)));
    GaussianMixtureModel late = new GaussianMixture().setK(3).setNInit(2).setMaxIter(20)
        .setDropRestartsAfter(11).fit(train);
    assertEquals(11, storedParam(late));
  }
}
