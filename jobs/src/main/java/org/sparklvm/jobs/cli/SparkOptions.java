package org.sparklvm.jobs.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Options every Spark job takes. */
public final class SparkOptions {

  @Option(names = "--master",
      description = "Spark master URL; default: the one spark-submit set, else local[*]")
  String master;

  /** The session to run in: an existing one (notebooks, tests) or a new one. */
  public SparkSession session(String appName) {
    SparkConf conf = new SparkConf();
    SparkSession.Builder b = SparkSession.builder().appName(appName);
    if (master != null) {
      b.master(master);
    } else if (!conf.contains("spark.master")) {
      b.master("local[*]");
    }
    return b.getOrCreate();
  }
}
