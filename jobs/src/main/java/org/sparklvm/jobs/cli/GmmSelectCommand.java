package org.sparklvm.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.gmm.CovarianceType;
import org.sparklvm.core.gmm.EmSettings;
import org.sparklvm.core.model.MixtureSummary;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.gmm.MixtureSelectJob;
import org.sparklvm.jobs.store.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lvm gmm select}: a grid of k and covariance types compared by BIC. */
@Command(name = "select", mixinStandardHelpOptions = true,
    modelTransformer = GmmSelectCommand.Declared.class,
    description = "Fit a grid of k and covariance types; report BIC, AIC and mean log-likelihood;"
        + " write the model with the lowest BIC (the table is in its metadata).")
final class GmmSelectCommand implements Callable<Integer> {

  /** The settings of a mixture fit but k (a grid, {@code --k} below); covariance types a list. */
  static final class Declared extends DeclaredOptions {
    Declared() {
      super(EmSettings.DECLARED.stream().filter(s -> s != EmSettings.K).toList(), Set.of(),
          Set.of(EmSettings.COVARIANCE));
    }
  }

  @Spec CommandSpec spec;
  @Mixin SparkOptions spark;
  @Mixin DryRunOption check;
  @Mixin InputOptions input;
  @Mixin OutputOptions out;

  @Option(names = "--k", required = true, description = "Values of k: 2..12 or 2,4,8")
  String k;

  @Override
  public Integer call() throws Exception {
    List<Integer> ks = parseKs(k);
    List<CovarianceType> types = DeclaredOptions.values(spec, EmSettings.COVARIANCE).stream()
        .map(CovarianceType::fromId).toList();
    EmSettings base = EmSettings.from(DeclaredOptions.of(spec)).withK(ks.get(0))
        .withCovarianceType(types.get(0));
    input.spec(); // checks the input options before Spark starts
    SparkSession session = spark.session("lvm gmm select");
    out.checkWritable(session);
    InputOptions.Table in = input.read(session);
    if (check.dryRun) {
      return CommandOutput.dryRun(spec.commandLine().getOut(), "gmm select", out.output);
    }
    MixtureSelectJob.Selection sel = MixtureSelectJob.select(session, in.rows(), in.columns(), base,
        ks, types, in.spec().path());
    ModelStore.save(session, sel.best(), out.output, out.overwrite);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf("%4s  %-10s %16s %16s %14s %6s%n", "k", "covariance", "BIC", "AIC", "mean logL",
        "iter");
    for (MixtureSummary.Candidate c : sel.candidates()) {
      stdout.printf("%4d  %-10s %16.4f %16.4f %14.6f %6d%n", c.k(), c.covarianceType(), c.bic(),
          c.aic(), c.meanLogLikelihood(), c.iterations());
    }
    ObjectNode result = CommandOutput.result("gmm select");
    result.put("output", out.output);
    result.put("k", sel.best().model().k());
    result.put("covarianceType", sel.best().model().covarianceType().id());
    result.put("bic", sel.best().summary().bic());
    CommandOutput.print(stdout, result);
    return 0;
  }

  /**
   * @throws UserInputException when the list is not {@code a..b} or comma-separated integers
   * @throws org.sparklvm.core.settings.InvalidSettingException when a value is out of k's range
   */
  static List<Integer> parseKs(String text) {
    List<Integer> ks = new ArrayList<>();
    try {
      if (text.contains("..")) {
        String[] ends = text.split("\\.\\.", 2);
        int lo = Integer.parseInt(ends[0].trim());
        int hi = Integer.parseInt(ends[1].trim());
        for (int i = lo; i <= hi; i++) {
          ks.add(i);
        }
      } else {
        for (String s : text.split(",")) {
          ks.add(Integer.parseInt(s.trim()));
        }
      }
    } catch (NumberFormatException e) {
      throw new UserInputException("--k must be a range a..b or a list a,b,c; got '" + text + "'");
    }
    if (ks.isEmpty()) {
      throw new UserInputException("--k needs at least one value; got '" + text + "'");
    }
    ks.forEach(EmSettings.K::check);
    return ks;
  }
}
