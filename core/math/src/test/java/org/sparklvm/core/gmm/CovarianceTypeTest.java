package org.sparklvm.core.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CovarianceTypeTest {

  /** The ids are written into model metadata and Spark ML params: they may never change. */
  @Test
  void idsAreScikitLearnsNamesAndReadBack() {
    assertEquals(List.of("full", "diag", "tied", "spherical"), CovarianceType.ids());
    assertEquals(CovarianceType.TIED, CovarianceType.fromId(" Tied "));
    assertEquals("unknown covariance type 'banded' (expected full, diag, tied or spherical)",
        assertThrows(IllegalArgumentException.class, () -> CovarianceType.fromId("banded"))
            .getMessage());
  }
}
