package org.sparklvm.jobs.score;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;
import org.sparklvm.jobs.data.OutputColumns;

/**
 * Scores a table with a model of any kind: adds the kind's own columns, then {@value
 * #LOG_LIKELIHOOD} = log p(x) under the one name every kind uses, then, given a threshold, {@value
 * #ANOMALY} (log p(x) below it).
 */
public final class ScoreJob {

  /** log p(x) per row; mixtures wrote it as {@code logDensity} before the families shared a name. */
  public static final String LOG_LIKELIHOOD = "logLikelihood";
  public static final String ANOMALY = "anomaly";

  private ScoreJob() {}

  /**
   * Checks every row once (finite, the model's dimension, the kind's constraints), then returns the
   * scored table.
   *
   * @param anomalyThreshold log p(x) below which a row is an anomaly; NaN for no flag
   * @param source the input's name for messages
   * @throws org.sparklvm.jobs.UserInputException naming a bad row, or an output column the input
   *     already has
   */
  public static Dataset<Row> score(Dataset<Row> table, FeatureColumns columns, RowScorer scorer,
      double anomalyThreshold, String source) {
    FeatureData.check(table, scorer.constrain(columns), scorer.dim(), source);
    return transform(table, columns, scorer, anomalyThreshold);
  }

  /** The scored table without the checking pass (Spark ML's lazy {@code transform}). */
  public static Dataset<Row> transform(Dataset<Row> table, FeatureColumns columns,
      RowScorer scorer, double anomalyThreshold) {
    boolean flag = !Double.isNaN(anomalyThreshold);
    int own = scorer.columns().size();
    return BlockMapper.map(table, scorer.constrain(columns), scorer.dim(),
        added(scorer.columns(), flag),
        partition -> {
          RowScorer.Partition p = scorer.open(partition);
          return (block, out) -> {
            double[] ll = new double[block.rows()];
            Object[][] kind = new Object[block.rows()][own];
            p.score(block, ll, kind);
            for (int r = 0; r < block.rows(); r++) {
              System.arraycopy(kind[r], 0, out[r], 0, own);
              out[r][own] = ll[r];
              if (flag) {
                out[r][own + 1] = ll[r] < anomalyThreshold;
              }
            }
          };
        });
  }

  /**
   * The scored table's schema.
   *
   * @throws org.sparklvm.jobs.UserInputException when the input already has an output column
   */
  public static StructType outputSchema(StructType input, List<StructField> kindColumns,
      boolean anomaly) {
    return OutputColumns.append(input, added(kindColumns, anomaly).toArray(new StructField[0]));
  }

  private static List<StructField> added(List<StructField> kindColumns, boolean anomaly) {
    List<StructField> added = new ArrayList<>(kindColumns);
    added.add(field(LOG_LIKELIHOOD, DataTypes.DoubleType));
    if (anomaly) {
      added.add(field(ANOMALY, DataTypes.BooleanType));
    }
    return added;
  }

  /** A non-null output column. */
  public static StructField field(String name, org.apache.spark.sql.types.DataType type) {
    return new StructField(name, type, false, Metadata.empty());
  }
}
