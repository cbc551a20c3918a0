package org.sparklvm.jobs.cli;

import static org.sparklvm.jobs.cli.BadInputTest.assertRejected;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.jobs.SparkTests;

/**
 * A bad prior for {@code gmm fit --prior} exits with 2, names the option and the problem, and
 * leaves no output behind: values no data could fit are refused as the command line is parsed,
 * those that do not fit this data (3 dimensions) once it is read.
 */
class PriorBadInputTest {

  @TempDir static Path dir;
  static String data;

  @BeforeAll
  static void writeData() {
    SparkTests.spark();
    data = dir.resolve("good.parquet").toString();
    SparkTests.columns(SparkTests.planted(), 500, 5).write().parquet(data);
  }

  private static String out(String name) {
    return dir.resolve("out-" + name).toString();
  }

  private static String[] fit(String output, String... extra) {
    List<String> args = new ArrayList<>(List.of("gmm", "fit", "--input", data, "--feature-cols",
        "x0,x1,x2", "--k", "4", "--max-iter", "3", "--output", output));
    args.addAll(List.of(extra));
    return args.toArray(new String[0]);
  }

  private static String[] bayes(String output, String... extra) {
    List<String> args = new ArrayList<>(List.of(fit(output, "--prior", "dirichlet-process")));
    args.addAll(List.of(extra));
    return args.toArray(new String[0]);
  }

  @Test
  void nonPositiveConcentrationOrPrecisionIsRefused() throws IOException {
    assertRejected(out("gamma"), bayes(out("gamma"), "--weight-concentration", "0"),
        "'--weight-concentration'", "greater than 0, got 0.0");
    assertRejected(out("gamma2"), bayes(out("gamma2"), "--weight-concentration", "-1"),
        "'--weight-concentration'", "greater than 0");
    assertRejected(out("beta"), bayes(out("beta"), "--mean-precision", "0"),
        "'--mean-precision'", "greater than 0");
  }

  @Test
  void tooFewDegreesOfFreedomAreRefused() throws IOException {
    // d = 3: nu_0 must exceed 2.
    assertRejected(out("nu"), bayes(out("nu"), "--degrees-of-freedom", "2"),
        "--degrees-of-freedom", "greater than dim - 1 = 2, got 2.0");
    assertRejected(out("nu2"), bayes(out("nu2"), "--degrees-of-freedom", "-3"),
        "'--degrees-of-freedom'", "greater than 0");
  }

  @Test
  void covariancePriorOfTheWrongSizeIsRefused() throws IOException {
    assertRejected(out("size-full"), bayes(out("size-full"), "--covariance-prior", "1,0,0,1"),
        "--covariance-prior has 4 values", "full covariance prior needs 9 (3 x 3)");
    assertRejected(out("size-diag"), bayes(out("size-diag"), "--covariance", "diag",
        "--covariance-prior", "1,1"), "--covariance-prior has 2 values", "needs 3");
    assertRejected(out("size-sph"), bayes(out("size-sph"), "--covariance", "spherical",
        "--covariance-prior", "1,1,1"), "--covariance-prior has 3 values", "needs 1");
  }

  @Test
  void covariancePriorNotPositiveDefiniteIsRefused() throws IOException {
    // Eigenvalues of [[1, 2, 0], [2, 1, 0], [0, 0, 1]]: 3, -1, 1.
    assertRejected(out("pd"), bayes(out("pd"), "--covariance-prior", "1,2,0,2,1,0,0,0,1"),
        "--covariance-prior", "not positive definite");
    assertRejected(out("pd-tied"), bayes(out("pd-tied"), "--covariance", "tied",
        "--covariance-prior", "1,2,0,2,1,0,0,0,1"), "--covariance-prior", "not positive definite");
    assertRejected(out("pd-diag"), bayes(out("pd-diag"), "--covariance", "diag",
        "--covariance-prior", "1,0,1"), "--covariance-prior", "not positive definite");
    assertRejected(out("nan"), bayes(out("nan"), "--covariance-prior", "1,NaN,1"),
        "'--covariance-prior'", "finite, got NaN");
  }

  @Test
  void meanPriorOfTheWrongLengthIsRefused() throws IOException {
    assertRejected(out("m0"), bayes(out("m0"), "--mean-prior", "0,0"),
        "--mean-prior has 2 values, the data has 3 dimensions");
    assertRejected(out("m0b"), bayes(out("m0b"), "--mean-prior=-1,0,0,5"),
        "--mean-prior has 4 values");
  }

  @Test
  void priorOptionsWithoutPriorAreRefused() throws IOException {
    assertRejected(out("stray"), fit(out("stray"), "--mean-precision", "2"),
        "--mean-precision (meanPrecision) goes with --prior");
    assertRejected(out("stray2"), fit(out("stray2"), "--degrees-of-freedom", "5",
        "--covariance-prior", "1,0,0,0,1,0,0,0,1"), "--degrees-of-freedom", "--covariance-prior",
        "go with --prior");
    assertRejected(out("unknown"), fit(out("unknown"), "--prior", "dirichlet-processes"),
        "'--prior'", "one of dirichlet-process, dirichlet");
  }

  /** scikit-learn's default covariance prior is the data's covariance: a constant column has none. */
  @Test
  void aConstantColumnIsNamedAsASingularCovariance() throws IOException {
    String constant = dir.resolve("constant.parquet").toString();
    SparkTests.columns(SparkTests.planted(), 300, 6)
        .withColumn("x2", org.apache.spark.sql.functions.lit(1.0)).write().parquet(constant);
    List<String> args = new ArrayList<>(List.of(bayes(out("constant"))));
    args.set(args.indexOf(data), constant);
    assertRejected(out("constant"), args.toArray(new String[0]), "covariance is singular",
        "--covariance-prior");
  }

  @Test
  void priorWithOnlineOrAStartingModelIsRefused() throws IOException {
    assertRejected(out("online"), bayes(out("online"), "--online"),
        "--prior does not go with --online");
    assertRejected(out("init"), bayes(out("init"), "--init-model", dir.toString()),
        "--prior does not go with --init-model");
  }
}
