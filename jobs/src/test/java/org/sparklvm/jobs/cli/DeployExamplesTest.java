package org.sparklvm.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The spark-submit examples in {@code deploy/examples} parse with the real command line: each script
 * runs with a stand-in spark-submit that records its arguments, and what follows the jar must be a
 * valid {@code lvm} command (options and their types; the paths are the cluster's).
 */
class DeployExamplesTest {

  private static final Path EXAMPLES =
      Path.of("").toAbsolutePath().getParent().resolve("deploy/examples");

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"standalone.sh", "yarn.sh", "kubernetes.sh"})
  void everyJobParses(String script) throws Exception {
    Path calls = dir.resolve("calls");
    Path stub = dir.resolve("spark-submit");
    // One line per call, the arguments separated by NUL.
    Files.writeString(stub, "#!/usr/bin/env bash\nprintf '%s\\0' \"$@\" >> " + calls
        + "\necho >> " + calls + "\n");
    assertTrue(stub.toFile().setExecutable(true));
    assertEquals(0, runWith(stub, script), Files.readString(dir.resolve("out")));
    List<String> lines = Files.readAllLines(calls);
    assertEquals(8, lines.size(), "jobs submitted by " + script);
    for (String line : lines) {
      List<String> args = new ArrayList<>(Arrays.asList(line.split("\0")));
      assertTrue(args.contains("org.sparklvm.jobs.cli.Lvm"), line);
      int jar = args.indexOf(args.stream().filter(a -> a.endsWith(".jar")).findFirst()
          .orElseThrow());
      String[] lvm = args.subList(jar + 1, args.size()).toArray(new String[0]);
      // parseArgs checks option names, arity and types; it throws on anything unknown.
      CommandLine.ParseResult parsed = Lvm.commandLine().parseArgs(lvm);
      assertTrue(parsed.hasSubcommand(), String.join(" ", lvm));
    }
  }

  private int runWith(Path stub, String script) throws Exception {
    ProcessBuilder b = new ProcessBuilder("bash", EXAMPLES.resolve(script).toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile());
    b.environment().put("SPARK_SUBMIT", stub.toString());
    return b.start().waitFor();
  }
}
