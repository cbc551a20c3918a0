package org.sparklvm.ml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.jobs.store.PlotSample;

/**
 * Zeppelin output for a model's pictures: {@code println(Notebook.pictures(spark, path, "a.png"))}
 * in a {@code %spark} paragraph shows them inline ({@code %html}, the PNGs embedded as base64), from
 * any Hadoop path the driver can read.
 */
public final class Notebook {

  private Notebook() {}

  /**
   * @param modelPath a model directory (its {@code plots/} folder holds the pictures)
   * @param names picture file names, e.g. {@code clusters.png}
   * @throws UncheckedIOException naming a picture that cannot be read
   */
  public static String pictures(SparkSession spark, String modelPath, String... names) {
    StringBuilder html = new StringBuilder("%html <div>");
    for (String name : names) {
      Path file = new Path(new Path(modelPath, PlotSample.DIRECTORY), name);
      try (InputStream in = file.getFileSystem(spark.sparkContext().hadoopConfiguration())
          .open(file)) {
        html.append("<img style=\"max-width:48%\" alt=\"").append(name)
            .append("\" src=\"data:image/png;base64,")
            .append(Base64.getEncoder().encodeToString(in.readAllBytes())).append("\"/>");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read picture " + file + ": " + e.getMessage(), e);
      }
    }
    return html.append("</div>").toString();
  }
}
