package org.sparklvm.jobs.cli;

import java.io.IOException;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.jobs.store.AtomicOutput;
import picocli.CommandLine.Option;

/** Where a command writes, and whether it may replace what is there. */
public final class OutputOptions {

  @Option(names = "--output", required = true,
      description = "Directory to write (any Hadoop path); written whole or not at all")
  String output;

  @Option(names = "--overwrite", description = "Replace an existing output")
  boolean overwrite;

  /** Fails before any work when the output exists and may not be replaced. */
  void checkWritable(SparkSession session) {
    AtomicOutput.checkWritable(session.sparkContext().hadoopConfiguration(), output, overwrite);
  }

  /** Writes the output directory atomically. */
  void write(SparkSession session, AtomicOutput.Writer writer) throws IOException {
    AtomicOutput.write(session.sparkContext().hadoopConfiguration(), output, overwrite, writer);
  }
}
