package org.sparklvm.jobs.cli;

import java.io.PrintStream;
import org.sparklvm.core.gmm.MaximizationStep;
import org.sparklvm.core.model.ModelFormatException;
import org.sparklvm.core.settings.InvalidSettingException;
import org.sparklvm.jobs.Provenance;
import org.sparklvm.jobs.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code lvm} command line. Exit codes: 0 done, 1 failed, 2 bad usage or bad input (the message
 * names the problem), so a scheduler can tell a retryable failure from one that never will succeed.
 */
@Command(
    name = "lvm",
    mixinStandardHelpOptions = true,
    versionProvider = Lvm.Version.class,
    description = "Latent variable models on Apache Spark.",
    subcommands = {GmmCommand.class, VaeCommand.class, PlotCommand.class, BenchCommand.class,
        QuickstartCommand.class})
public final class Lvm {

  /** Exit code of a run that failed for reasons other than its input. */
  public static final int FAILED = 1;
  /** Exit code of bad usage or bad input. */
  public static final int BAD_INPUT = 2;

  public static void main(String[] args) {
    System.setOut(new WithoutNd4jChatter(System.out));
    System.exit(commandLine().execute(args));
  }

  /**
   * Standard output without the line ND4J 1.0.0-M2.1 prints for every op each time a SameDiff graph
   * is differentiated ({@code SameDiff.createGradFunction}, unconditionally, to System.out): a VAE
   * epoch prints hundreds, and stdout carries the result line schedulers read.
   */
  static final class WithoutNd4jChatter extends PrintStream {

    WithoutNd4jChatter(PrintStream out) {
      super(out, true);
    }

    @Override
    public void println(String line) {
      if (line == null || !line.startsWith("Added differentiated op ")) {
        super.println(line);
      }
    }
  }

  /** The configured command line (for tests: {@code commandLine().execute(args)}). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Lvm());
    cl.setExitCodeExceptionMapper(Lvm::exitCode);
    cl.setExecutionExceptionHandler((e, line, parsed) -> {
      Throwable cause = userCause(e);
      line.getErr().println("lvm: " + (cause != null ? cause.getMessage() : describe(e)));
      if (cause == null) {
        e.printStackTrace(line.getErr());
      }
      return exitCode(e);
    });
    return cl;
  }

  static int exitCode(Throwable e) {
    return e instanceof CommandLine.ParameterException || userCause(e) != null ? BAD_INPUT : FAILED;
  }

  /**
   * The bad-input exception in a cause chain (Spark wraps what a task threw), or null. A mixture
   * whose every component collapsed is the data's and options' doing (no spread, reg-covar 0); a
   * setting out of its declared range is the options' (other IllegalArgumentExceptions are bugs).
   */
  static Throwable userCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UserInputException || t instanceof ModelFormatException
          || t instanceof MaximizationStep.CollapseException
          || t instanceof InvalidSettingException) {
        return t;
      }
    }
    return null;
  }

  private static String describe(Throwable e) {
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  /** Prints the spark-lvm version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"spark-lvm " + Provenance.version()};
    }
  }
}
