package org.sparklvm.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.linalg.Blas;
import org.sparklvm.core.model.ModelMetadata;

/** Where a model came from: input, rows, seed, library versions, time. */
public final class Provenance {

  private Provenance() {}

  /** The version of spark-lvm on the classpath. */
  public static String version() {
    String v = Provenance.class.getPackage().getImplementationVersion();
    return v != null ? v : "0.1.0-SNAPSHOT";
  }

  public static ObjectNode of(SparkSession spark, String input, long rows, long seed,
      double trainingSeconds) {
    ObjectNode p = ModelMetadata.JSON.createObjectNode();
    p.put("input", input);
    p.put("rows", rows);
    p.put("seed", seed);
    p.put("createdAt", Instant.now().toString());
    p.put("trainingSeconds", trainingSeconds);
    p.put("sparkMaster", spark.sparkContext().master());
    ObjectNode libs = p.putObject("libraries");
    libs.put("spark-lvm", version());
    libs.put("spark", spark.version());
    libs.put("hadoop", org.apache.hadoop.util.VersionInfo.getVersion());
    libs.put("scala", scala.util.Properties.versionNumberString());
    libs.put("java", System.getProperty("java.version"));
    libs.put("blas", Blas.implementation());
    return p;
  }
}
