package org.sparklvm.jobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import org.sparklvm.core.model.ModelMetadata;

/** The one-line JSON result every command prints last on stdout, for schedulers to parse. */
final class CommandOutput {

  private CommandOutput() {}

  static ObjectNode result(String command) {
    ObjectNode n = ModelMetadata.JSON.createObjectNode();
    n.put("command", command);
    n.put("status", "ok");
    return n;
  }

  /** The result of a {@code --dry-run} that passed its checks; returns the exit code, 0. */
  static int dryRun(PrintWriter out, String command, String output) {
    ObjectNode n = ModelMetadata.JSON.createObjectNode();
    n.put("command", command);
    n.put("status", "dry-run");
    n.put("output", output);
    print(out, n);
    return 0;
  }

  static void print(PrintWriter out, ObjectNode result) {
    try {
      out.println(ModelMetadata.JSON.writer().without(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(result));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
