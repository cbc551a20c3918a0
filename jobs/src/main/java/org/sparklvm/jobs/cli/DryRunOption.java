package org.sparklvm.jobs.cli;

import picocli.CommandLine.Option;

/** {@code --dry-run}: for schedulers to check a job's arguments before it is due. */
public final class DryRunOption {

  @Option(names = "--dry-run", description = "Check the arguments, that the input exists with its"
      + " columns, that the model loads and that the output may be written; then exit without running")
  boolean dryRun;
}
