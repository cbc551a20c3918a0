package org.sparklvm.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.settings.Setting;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every numeric option of every command is range-checked by its declaration: a value outside it is
 * a usage error (exit 2) whose message names the option and its valid values, before any work.
 */
class OptionRangesTest {

  private static final String[] FIT_GMM = {"gmm", "fit", "--input", "in.parquet", "--k", "3",
      "--output", "out"};
  private static final String[] FIT_VAE = {"vae", "fit", "--input", "in.parquet", "--output", "out"};

  /** Runs {@code base} plus {@code extra}; expects exit 2 and every fragment on stderr. */
  private static void assertRefused(String[] base, List<String> extra, String... fragments) {
    List<String> args = new ArrayList<>(List.of(base));
    args.addAll(extra);
    Cli r = Cli.run(args.toArray(String[]::new));
    assertEquals(2, r.exitCode(), String.join(" ", args) + ": " + r.err());
    for (String f : fragments) {
      assertTrue(r.err().contains(f), String.join(" ", args) + " should name '" + f + "': "
          + r.err());
    }
  }

  @Test
  void mixtureFitOptions() {
    assertRefused(FIT_GMM, List.of("--tol", "-1"), "'--tol'", "must be at least 0, got -1.0");
    assertRefused(new String[] {"gmm", "fit", "--input", "in.parquet", "--output", "out"},
        List.of("--k", "0"), "'--k'", "must be at least 1, got 0");
    assertRefused(FIT_GMM, List.of("--max-iter", "0"), "'--max-iter'", "at least 1");
    assertRefused(FIT_GMM, List.of("--reg-covar", "-1"), "'--reg-covar'", "at least 0");
    assertRefused(FIT_GMM, List.of("--reg-covar", "Infinity"), "'--reg-covar'", "at least 0");
    assertRefused(FIT_GMM, List.of("--n-init", "0"), "'--n-init'", "at least 1");
    assertRefused(FIT_GMM, List.of("--covariance", "banana"), "'--covariance'",
        "one of full, diag, tied, spherical, got 'banana'");
    assertRefused(FIT_GMM, List.of("--init", "kmeans"), "'--init'", "one of kmeans++, random");
    assertRefused(FIT_GMM, List.of("--tol", "small"), "'--tol'", "'small' is not a number");
  }

  @Test
  void mixtureSelectOptions() {
    String[] select = {"gmm", "select", "--input", "in.parquet", "--output", "out"};
    assertRefused(select, List.of("--k", "0..3"), "--k must be at least 1, got 0");
    assertRefused(select, List.of("--k", "2,4", "--covariance", "full,banana"), "'--covariance'",
        "got 'banana'");
    assertRefused(select, List.of("--k", "2,4", "--tol", "-0.5"), "'--tol'", "at least 0");
  }

  @Test
  void vaeFitOptions() {
    assertRefused(FIT_VAE, List.of("--learning-rate", "0"), "'--learning-rate'",
        "must be greater than 0, got 0.0");
    assertRefused(FIT_VAE, List.of("--validation-fraction", "1.5"), "'--validation-fraction'",
        "must be in [0, 1), got 1.5");
    assertRefused(FIT_VAE, List.of("--latent-dim", "0"), "'--latent-dim'", "at least 1");
    assertRefused(FIT_VAE, List.of("--encoder", "16,0"), "'--encoder'", "each be at least 1");
    assertRefused(FIT_VAE, List.of("--decoder", "-4"), "'--decoder'", "each be at least 1");
    assertRefused(FIT_VAE, List.of("--beta", "-1"), "'--beta'", "at least 0");
    assertRefused(FIT_VAE, List.of("--samples", "0"), "'--samples'", "at least 1");
    assertRefused(FIT_VAE, List.of("--epochs", "0"), "'--epochs'", "at least 1");
    assertRefused(FIT_VAE, List.of("--kl-warmup-epochs", "-1"), "'--kl-warmup-epochs'",
        "at least 0");
    assertRefused(FIT_VAE, List.of("--batch-size-per-worker", "0"), "'--batch-size-per-worker'",
        "at least 1");
    assertRefused(FIT_VAE, List.of("--averaging-frequency", "0"), "'--averaging-frequency'",
        "at least 1");
    assertRefused(FIT_VAE, List.of("--importance-samples", "0"), "'--importance-samples'",
        "at least 1");
    assertRefused(FIT_VAE, List.of("--likelihood", "poisson"), "'--likelihood'",
        "one of bernoulli, gaussian");
  }

  @Test
  void samplingAndBenchOptions() {
    String[] gmm = {"gmm", "sample", "--model", "m", "--output", "out"};
    assertRefused(gmm, List.of("--n", "-1"), "'--n'", "must be at least 0, got -1");
    assertRefused(gmm, List.of("--n", "5", "--partitions", "0"), "'--partitions'", "at least 1");
    assertRefused(new String[] {"vae", "sample", "--model", "m", "--output", "out"},
        List.of("--n", "-1"), "'--n'", "at least 0");
    assertRefused(new String[] {"bench", "gmm"}, List.of("--rows", "0"), "'--rows'", "at least 1");
    assertRefused(new String[] {"bench", "gmm"}, List.of("--iterations", "0"), "'--iterations'",
        "at least 1");
  }

  /**
   * Each declared option of each command, given a value just outside its range (and NaN and
   * infinity for doubles, an unknown name for choices), is refused with its range named.
   */
  @Test
  void everyDeclaredOptionRefusesWhatItsDeclarationRefuses() {
    int tried = 0;
    for (CommandLine command : DeclaredDefaultsTest.commands(Lvm.commandLine())) {
      CommandSpec spec = command.getCommandSpec();
      String[] path = DeclaredDefaultsTest.path(spec);
      for (OptionSpec o : spec.options()) {
        if (o.userObject() instanceof Setting<?> s) {
          for (String bad : outside(s)) {
            assertRefused(path, List.of(s.option(), bad), "'" + s.option() + "'",
                s.validValues().replaceFirst("^each ", ""));
            tried++;
          }
        }
      }
    }
    assertTrue(tried > 40, "values tried: " + tried);
  }

  /** Values the declaration refuses. */
  private static List<String> outside(Setting<?> s) {
    if (s.type() == String.class) {
      return List.of("no-such-" + s.option().substring(2));
    }
    List<String> out = new ArrayList<>();
    Setting.Range r = s.range();
    boolean whole = s.type() != Double.class && s.type() != double[].class;
    if (Double.isFinite(r.min())) {
      out.add(number(r.minIncluded() ? r.min() - 1 : r.min(), whole));
    }
    if (Double.isFinite(r.max())) {
      out.add(number(r.maxIncluded() ? r.max() + 1 : r.max(), whole));
    }
    if (!whole) {
      out.addAll(List.of("NaN", "Infinity"));
    }
    return out;
  }

  private static String number(double v, boolean whole) {
    return whole ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * No numeric option escapes the declarations, but those listed here: the scoring commands' and
   * {@code plot}'s, which their owners wire to {@code TaskSettings} (then delete them here).
   */
  @Test
  void everyNumericOptionIsDeclared() {
    Set<String> undeclared = new TreeSet<>();
    for (CommandLine command : DeclaredDefaultsTest.commands(Lvm.commandLine())) {
      CommandSpec spec = command.getCommandSpec();
      for (OptionSpec o : spec.options()) {
        Class<?> t = o.type().isArray() ? o.type().getComponentType() : o.type();
        boolean numeric = Number.class.isAssignableFrom(t) || (t.isPrimitive() && t != boolean.class);
        if (numeric && !(o.userObject() instanceof Setting<?>)) {
          undeclared.add(spec.qualifiedName(" ") + " " + o.longestName());
        }
      }
    }
    assertEquals(new TreeSet<>(), undeclared);
  }
}
