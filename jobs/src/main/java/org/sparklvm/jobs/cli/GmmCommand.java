package org.sparklvm.jobs.cli;

import picocli.CommandLine.Command;

/** {@code lvm gmm ...}: Gaussian mixtures by distributed EM. */
@Command(
    name = "gmm",
    mixinStandardHelpOptions = true,
    description = "Gaussian mixture models by distributed Expectation-Maximisation.",
    subcommands = {
      GmmFitCommand.class, GmmScoreCommand.class, GmmSampleCommand.class, GmmSelectCommand.class
    })
final class GmmCommand {}
