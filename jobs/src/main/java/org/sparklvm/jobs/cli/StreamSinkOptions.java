package org.sparklvm.jobs.cli;

import org.sparklvm.jobs.score.StreamBatches;
import picocli.CommandLine.Option;

/** Where a streamed command keeps its place and puts the rows it cannot use. */
public final class StreamSinkOptions {

  @Option(names = "--checkpoint",
      description = "With --stream: the checkpoint folder (default: OUTPUT.checkpoint)")
  String checkpoint;

  @Option(names = "--rejects", description = "With --stream: where rows that cannot be used go,"
      + " with their reason (default: OUTPUT.rejects)")
  String rejects;

  /** Whether either option was given. */
  boolean given() {
    return checkpoint != null || rejects != null;
  }

  /** The output, and the rejects and checkpoint given or beside it. */
  StreamBatches.Sinks sinks(String output) {
    return new StreamBatches.Sinks(output, rejects != null ? rejects : output + ".rejects",
        checkpoint != null ? checkpoint : output + ".checkpoint");
  }
}
