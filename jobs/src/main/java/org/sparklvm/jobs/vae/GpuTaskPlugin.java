package org.sparklvm.jobs.vae;

import java.util.Collections;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.spark.TaskContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each task's ND4J work on the GPU Spark assigned to that task ({@code TaskContext.resources()}),
 * for training, scoring and sampling alike: enable with {@code spark.plugins=}this class together with
 * {@code spark.executor.resource.gpu.amount} and {@code spark.task.resource.gpu.amount}.
 *
 * <p>ND4J's CUDA backend otherwise gives each new thread a device in turn, whatever Spark decided, so
 * two executors sharing a machine (a standalone Worker does not isolate GPUs) would share devices.
 * Where an executor sees one device (YARN or Kubernetes isolate it, or the CPU backend) there is
 * nothing to choose and nothing is done.
 */
public final class GpuTaskPlugin implements SparkPlugin {

  private static final Logger LOG = LoggerFactory.getLogger(GpuTaskPlugin.class);

  /** Nothing to do on the driver. */
  @Override
  public DriverPlugin driverPlugin() {
    return null;
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      @Override
      public void onTaskStart() {
        // Spark calls this in the task's own thread, after its TaskContext is set.
        TaskContext task = TaskContext.get();
        if (task == null) {
          return;
        }
        int visible = Nd4j.getAffinityManager().getNumberOfDevices();
        OptionalInt device;
        try {
          device = device(task.resourcesJMap(), visible);
        } catch (IllegalStateException e) {
          // Spark logs what a plugin throws at INFO and runs the task anyway: say it louder.
          LOG.error("task {} keeps ND4J's own device choice: {}", task.taskAttemptId(),
              e.getMessage());
          return;
        }
        if (device.isPresent()) {
          Nd4j.getAffinityManager().unsafeSetDevice(device.getAsInt());
          LOG.debug("task {} on GPU {} of {}", task.taskAttemptId(), device.getAsInt(), visible);
        }
      }
    };
  }

  /**
   * The ND4J device for a task given the resources Spark assigned to it: the first GPU address, when
   * the executor sees more than one device.
   *
   * @throws IllegalStateException when the address is not a device index this executor can see (the
   *     discovery script must print CUDA device indices, e.g. {@code nvidia-smi --query-gpu=index})
   */
  static OptionalInt device(Map<String, ResourceInformation> resources, int visibleDevices) {
    ResourceInformation gpu = (resources == null ? Collections.<String, ResourceInformation>emptyMap()
        : resources).get("gpu");
    if (gpu == null || gpu.addresses().length == 0 || visibleDevices <= 1) {
      return OptionalInt.empty();
    }
    String address = gpu.addresses()[0];
    int index;
    try {
      index = Integer.parseInt(address.trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException("Spark assigned GPU address '" + address
          + "', not a device index; the GPU discovery script must print indices", e);
    }
    if (index < 0 || index >= visibleDevices) {
      throw new IllegalStateException("Spark assigned GPU " + index + " but ND4J sees "
          + visibleDevices + " devices (devices 0 to " + (visibleDevices - 1) + ")");
    }
    return OptionalInt.of(index);
  }
}
