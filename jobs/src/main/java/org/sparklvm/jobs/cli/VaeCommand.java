package org.sparklvm.jobs.cli;

import picocli.CommandLine.Command;

/** {@code lvm vae ...}: variational autoencoders by amortised SVI with parameter averaging. */
@Command(
    name = "vae",
    mixinStandardHelpOptions = true,
    description = "Variational autoencoders trained data-parallel on dl4j-spark.",
    subcommands = {
      VaeFitCommand.class, VaeEncodeCommand.class, VaeScoreCommand.class, VaeSampleCommand.class
    })
final class VaeCommand {}
