package org.sparklvm.jobs.data;

import java.io.Serializable;
import java.util.List;
import org.sparklvm.jobs.UserInputException;

/**
 * Where the rows come from and which columns are features.
 *
 * @param path any Hadoop path (hdfs://, file://, s3a://, or local)
 * @param format parquet, csv, libsvm, orc or idx (MNIST-style images); null to infer from the path
 * @param featuresCol a vector column, or null
 * @param featureCols numeric columns, or empty
 * @param weightCol a numeric column of non-negative row weights, or null
 */
public record InputSpec(
    String path, String format, String featuresCol, List<String> featureCols, String weightCol)
    implements Serializable {

  /** The formats the readers understand. */
  public static final List<String> FORMATS = List.of("parquet", "csv", "libsvm", "orc", "idx");

  /**
   * @throws UserInputException when both feature options are given, or the format is unknown
   */
  public InputSpec {
    if (path == null || path.isBlank()) {
      throw new UserInputException("an input path is required");
    }
    featureCols = featureCols == null ? List.of() : List.copyOf(featureCols);
    if (featuresCol != null && !featureCols.isEmpty()) {
      throw new UserInputException("give either --features-col or --feature-cols, not both");
    }
    if (format != null && !FORMATS.contains(format)) {
      throw new UserInputException(
          "unknown format '" + format + "' (expected one of " + String.join(", ", FORMATS) + ")");
    }
  }
}
