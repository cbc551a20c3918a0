package org.sparklvm.jobs.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.OptionalInt;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

/** Which ND4J device a task gets from the resources Spark assigned it. */
class GpuTaskPluginTest {

  private static Map<String, ResourceInformation> gpus(String... addresses) {
    return Map.of("gpu", new ResourceInformation("gpu", addresses));
  }

  @Test
  void theTasksFirstGpuAddressIsItsDevice() {
    assertEquals(OptionalInt.of(1), GpuTaskPlugin.device(gpus("1"), 4));
    assertEquals(OptionalInt.of(3), GpuTaskPlugin.device(gpus("3", "0"), 4));
  }

  @Test
  void nothingToChooseWithoutGpusOrWithOneDevice() {
    assertEquals(OptionalInt.empty(), GpuTaskPlugin.device(Map.of(), 4));
    assertEquals(OptionalInt.empty(), GpuTaskPlugin.device(null, 4));
    // An isolated executor (YARN, Kubernetes) sees its one GPU as device 0, whatever its address.
    assertEquals(OptionalInt.empty(), GpuTaskPlugin.device(gpus("5"), 1));
  }

  @Test
  void addressesThatAreNotVisibleDevicesAreNamed() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> GpuTaskPlugin.device(gpus("GPU-8f1c"), 2));
    assertTrue(e.getMessage().contains("'GPU-8f1c'"), e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> GpuTaskPlugin.device(gpus("2"), 2));
    assertEquals("Spark assigned GPU 2 but ND4J sees 2 devices (devices 0 to 1)", e.getMessage());
  }
}
