package org.sparklvm.jobs.cli;

import picocli.CommandLine.Option;

/** The model a command reads. */
public final class ModelOptions {

  @Option(names = "--model", required = true,
      description = "Model directory written by a fit (any Hadoop path)")
  String model;
}
