package org.sparklvm.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class LvmStdoutTest {

  @Test
  void nd4jGradientChatterIsDroppedAndEverythingElseKept() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new Lvm.WithoutNd4jChatter(new PrintStream(bytes, true));
    out.println("Added differentiated op strided_slice_1");
    out.println("{\"command\":\"vae fit\",\"status\":\"ok\"}");
    out.print("Added differentiated op, not a whole line");
    assertEquals("{\"command\":\"vae fit\",\"status\":\"ok\"}" + System.lineSeparator()
        + "Added differentiated op, not a whole line", bytes.toString());
  }
}
