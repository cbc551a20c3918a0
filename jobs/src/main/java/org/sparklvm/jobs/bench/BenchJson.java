package org.sparklvm.jobs.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The benches' one-line JSON results: a measurement that did not happen is null, never NaN. */
final class BenchJson {

  private BenchJson() {}

  /** Puts {@code v} under {@code field}, or null when it is not finite (no peer). */
  static void number(ObjectNode n, String field, double v) {
    if (Double.isFinite(v)) {
      n.put(field, v);
    } else {
      n.putNull(field);
    }
  }
}
