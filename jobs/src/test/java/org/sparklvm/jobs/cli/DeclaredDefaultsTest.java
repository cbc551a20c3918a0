package org.sparklvm.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.junit.jupiter.api.Test;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.gmm.PriorSettings;
import org.sparklvm.core.settings.Setting;
import org.sparklvm.core.vae.VaeSettings;
import org.sparklvm.ml.GaussianMixture;
import org.sparklvm.ml.VariationalAutoencoder;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every declared setting has one default: the command line's option and the Spark ML parameter
 * hold the declaration's. The declarations are iterated, so a new setting is covered as it is
 * declared.
 */
class DeclaredDefaultsTest {

  @Test
  void mixtureFitDefaultsAreTheDeclaredOnes() {
    assertSameDefaults(Stream.of(EmSettings.DECLARED, PriorSettings.DECLARED)
        .flatMap(List::stream).toList(), "gmm fit", new GaussianMixture());
  }

  @Test
  void vaeFitDefaultsAreTheDeclaredOnes() {
    assertSameDefaults(VaeSettings.DECLARED, "vae fit", new VariationalAutoencoder());
  }

  @Test
  void everyDeclaredOptionOfEveryCommandDefaultsToItsDeclaration() {
    int seen = 0;
    CommandLine root = Lvm.commandLine();
    for (CommandLine command : commands(root)) {
      CommandSpec spec = command.getCommandSpec();
      parseWithDefaults(root, spec);
      for (OptionSpec o : spec.options()) {
        if (o.userObject() instanceof Setting<?> s) {
          seen++;
          assertEquals(s.option(), o.longestName(), spec.qualifiedName());
          if (!o.required() && DeclaredOptions.requiredUnless(spec, s) == null) {
            // A list of a setting's values (gmm select --covariance) defaults to the one default.
            Object expected = o.type() == String[].class
                ? new String[] {(String) s.defaultValue()} : s.defaultValue();
            assertTrue(Objects.deepEquals(expected, o.getValue()), spec.qualifiedName()
                + " " + s.option() + " defaults to " + show(o.getValue()));
          }
        }
      }
    }
    assertTrue(seen > 30, "declared options found: " + seen);
  }

  /** Compares every declared default with the command's option and the estimator's parameter. */
  private static void assertSameDefaults(List<Setting<?>> declared, String command,
      Params estimator) {
    CommandLine root = Lvm.commandLine();
    CommandSpec spec = command(root, command).getCommandSpec();
    parseWithDefaults(root, spec);
    for (Setting<?> s : declared) {
      OptionSpec o = spec.findOption(s.option());
      assertNotNull(o, command + " has no " + s.option());
      assertTrue(o.userObject() == s, command + " " + s.option() + " is not the declared one");
      if (o.required() || DeclaredOptions.requiredUnless(spec, s) != null) {
        // Asked for, always or unless another option gives it (gmm fit --k, --init-model).
        assertTrue(o.defaultValue() == null, command + " asks for " + s.option());
      } else {
        assertTrue(Objects.deepEquals(s.defaultValue(), o.getValue()),
            command + " " + s.option() + " defaults to " + show(o.getValue()));
      }
      Param<Object> p = estimator.getParam(s.param());
      // A setting declared without a default (the prior's, data-dependent) has none anywhere.
      assertEquals(s.defaultValue() != null, estimator.hasDefault(p), s.param() + " default");
      Object sparkDefault = s.defaultValue() == null ? null : estimator.getDefault(p).get();
      assertTrue(Objects.deepEquals(s.defaultValue(), sparkDefault),
          estimator.getClass().getSimpleName() + "." + s.param() + " defaults to "
              + show(sparkDefault) + ", declared " + show(s.defaultValue()));
      assertTrue(p.doc().startsWith(s.description()), p.doc());
      assertTrue(p.doc().contains(s.validValues()) || !s.restricted(), p.doc());
    }
    // Nothing the estimator offers escapes the declarations but its column parameters.
    List<String> undeclared = new ArrayList<>();
    for (Param<?> p : estimator.params()) {
      if (declared.stream().noneMatch(s -> p.name().equals(s.param()))) {
        undeclared.add(p.name());
      }
    }
    undeclared.removeAll(List.of("featuresCol", "featureCols", "weightCol"));
    assertEquals(List.of(), undeclared);
  }

  @Test
  void sparkMlValidatorsAreTheDeclaredRanges() {
    GaussianMixture gmm = new GaussianMixture();
    assertFalse(validates(gmm.tol(), -1.0));
    assertTrue(validates(gmm.tol(), 0.0));
    assertFalse(validates(gmm.k(), 0));
    assertFalse(validates(gmm.covarianceType(), "banana"));
    assertFalse(validates(gmm.prior(), "dirichlet-processes"));
    assertTrue(validates(gmm.prior(), "dirichlet"));
    assertFalse(validates(gmm.weightConcentration(), 0.0));
    assertFalse(validates(gmm.covariancePrior(), new double[] {1.0, Double.NaN}));
    assertTrue(validates(gmm.meanPrior(), new double[] {-1.0, 2.5}));
    VariationalAutoencoder vae = new VariationalAutoencoder();
    assertFalse(validates(vae.learningRate(), 0.0));
    assertFalse(validates(vae.validationFraction(), 1.5));
    assertFalse(validates(vae.encoder(), new int[] {16, 0}));
    assertTrue(validates(vae.encoder(), new int[] {16}));
  }

  @SuppressWarnings("unchecked")
  private static boolean validates(Param<?> p, Object value) {
    return (Boolean) ((Param<Object>) p).isValid().apply(value);
  }

  /**
   * Parses the command (from the root, as picocli wants) with dummy values for its required
   * options only, so that every other option holds its default.
   */
  private static void parseWithDefaults(CommandLine root, CommandSpec spec) {
    List<String> args = new ArrayList<>(List.of(path(spec)));
    for (OptionSpec o : spec.options()) {
      if (o.required()) {
        args.add(o.longestName());
        args.add("1");
      }
    }
    root.parseArgs(args.toArray(String[]::new));
  }

  /** The subcommand names that lead from {@code lvm} to the command. */
  static String[] path(CommandSpec spec) {
    String names = spec.qualifiedName(" ").replaceFirst("^lvm ?", "");
    return names.isEmpty() ? new String[0] : names.split(" ");
  }

  static CommandLine command(CommandLine root, String path) {
    CommandLine cl = root;
    for (String name : path.split(" ")) {
      cl = cl.getSubcommands().get(name);
    }
    return cl;
  }

  /** Every command under {@code root}, root included. */
  static List<CommandLine> commands(CommandLine root) {
    List<CommandLine> out = new ArrayList<>(List.of(root));
    for (CommandLine sub : root.getSubcommands().values()) {
      out.addAll(commands(sub));
    }
    return out;
  }

  private static String show(Object v) {
    return v instanceof int[] a ? Arrays.toString(a) : String.valueOf(v);
  }
}
