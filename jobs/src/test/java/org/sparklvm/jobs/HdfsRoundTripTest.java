package org.sparklvm.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.jobs.cli.Lvm;
import org.sparklvm.jobs.gmm.MixtureKind;
import org.sparklvm.jobs.store.ModelStore;

/** Fits from and writes to a real HDFS (MiniDFSCluster), then scores from the model read back. */
class HdfsRoundTripTest {

  @TempDir static File base;
  static MiniDFSCluster cluster;
  static String hdfs;

  @BeforeAll
  static void startHdfs() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(base, "dfs").getAbsolutePath());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    hdfs = "hdfs://127.0.0.1:" + cluster.getNameNodePort();
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) {
      cluster.shutdown(true);
    }
  }

  @Test
  void fitAndScoreOnHdfs() throws Exception {
    var spark = SparkTests.spark();
    String data = hdfs + "/lvm/train";
    String model = hdfs + "/lvm/models/gmm";
    String scored = hdfs + "/lvm/scored";
    SparkTests.vectors(SparkTests.planted(), 5000, 3).write().parquet(data);

    assertEquals(0, Lvm.commandLine().execute("gmm", "fit", "--input", data, "--k", "3",
        "--output", model));
    FileSystem fs = new Path(model).getFileSystem(spark.sparkContext().hadoopConfiguration());
    assertTrue(fs.exists(new Path(model, "metadata.json")));
    assertTrue(fs.exists(new Path(model, "components")));
    assertFalse(List.of(fs.listStatus(new Path(hdfs + "/lvm/models"))).stream()
        .anyMatch(s -> s.getPath().getName().contains(".tmp-")), "temporary model left on HDFS");

    assertEquals(0, Lvm.commandLine().execute("gmm", "score", "--model", model, "--input", data,
        "--output", scored, "--anomaly-quantile", "0.01"));
    GaussianMixtureModel m = ModelStore.load(spark, MixtureKind.INSTANCE, model).model();
    Dataset<Row> out = spark.read().parquet(scored);
    assertEquals(5000, out.count());
    for (Row r : out.limit(100).collectAsList()) {
      double[] x = ((org.apache.spark.ml.linalg.Vector) r.getAs("features")).toArray();
      assertEquals(m.logDensity(x), r.<Double>getAs("logLikelihood"), 1e-9);
    }
    assertEquals(50, out.filter("anomaly").count(), 15);
    // Refusing to overwrite holds on HDFS too.
    assertEquals(2, Lvm.commandLine().execute("gmm", "fit", "--input", data, "--k", "3",
        "--output", model));
  }
}
