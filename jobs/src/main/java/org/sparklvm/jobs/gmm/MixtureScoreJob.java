package org.sparklvm.jobs.gmm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.core.gmm.GaussianMixtureModel;
import org.sparklvm.core.data.RowBlock;
import org.sparklvm.jobs.UserInputException;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.FeatureData;
import org.sparklvm.jobs.data.OutputColumns;

/**
 * Adds to every row its MAP component ({@code prediction}), responsibilities ({@code probability}),
 * {@code logDensity} = log p(x) and, given a threshold, the {@code anomaly} flag (log-density below it).
 * Rows are scored in blocks, as in training.
 */
public final class MixtureScoreJob {

  public static final String PREDICTION = "prediction";
  public static final String PROBABILITY = "probability";
  public static final String LOG_DENSITY = "logDensity";
  public static final String ANOMALY = "anomaly";

  private MixtureScoreJob() {}

  /**
   * Checks every row (finite values, the model's dimension), then returns the scored table.
   *
   * @param anomalyThreshold log-density below which a row is an anomaly; NaN for no flag
   * @throws UserInputException naming a bad row, or an output column the input already has
   */
  public static Dataset<Row> score(Dataset<Row> table, FeatureColumns columns,
      GaussianMixtureModel model, double anomalyThreshold, String source) {
    FeatureData.check(table, columns, model.dim(), source);
    return transform(table, columns, model, anomalyThreshold);
  }

  /** The scored table without the checking pass (Spark ML's lazy {@code transform}). */
  public static Dataset<Row> transform(Dataset<Row> table, FeatureColumns columns,
      GaussianMixtureModel model, double anomalyThreshold) {
    boolean flag = !Double.isNaN(anomalyThreshold);
    StructType schema = outputSchema(table.schema(), flag);
    MapPartitionsFunction<Row, Row> scorer = rows -> scorePartition(rows, columns, model,
        anomalyThreshold, flag);
    return table.mapPartitions(scorer, Encoders.row(schema));
  }

  /**
   * @throws UserInputException when the input already has one of the output columns
   */
  public static StructType outputSchema(StructType input, boolean anomaly) {
    StructField prediction = new StructField(PREDICTION, DataTypes.IntegerType, false,
        Metadata.empty());
    StructField probability = new StructField(PROBABILITY, SQLDataTypes.VectorType(), false,
        Metadata.empty());
    StructField logDensity = new StructField(LOG_DENSITY, DataTypes.DoubleType, false,
        Metadata.empty());
    return anomaly
        ? OutputColumns.append(input, prediction, probability, logDensity,
            new StructField(ANOMALY, DataTypes.BooleanType, false, Metadata.empty()))
        : OutputColumns.append(input, prediction, probability, logDensity);
  }

  private static Iterator<Row> scorePartition(Iterator<Row> rows, FeatureColumns columns,
      GaussianMixtureModel model, double threshold, boolean flag) {
    int d = model.dim();
    int k = model.k();
    return new Iterator<>() {
      private final List<Row> pending = new ArrayList<>(FeatureData.BLOCK_ROWS);
      private final List<Row> ready = new ArrayList<>(FeatureData.BLOCK_ROWS);
      private int next;

      @Override
      public boolean hasNext() {
        if (next < ready.size()) {
          return true;
        }
        ready.clear();
        next = 0;
        pending.clear();
        while (rows.hasNext() && pending.size() < FeatureData.BLOCK_ROWS) {
          pending.add(rows.next());
        }
        if (pending.isEmpty()) {
          return false;
        }
        int n = pending.size();
        double[] values = new double[n * d];
        for (int r = 0; r < n; r++) {
          double[] x = columns.features(pending.get(r));
          if (x.length != d) {
            throw new UserInputException(
                "a row has " + x.length + " features but the model has " + d);
          }
          System.arraycopy(x, 0, values, r * d, d);
        }
        double[] ld = new double[n];
        double[] resp = new double[n * k];
        model.evaluate(new RowBlock(n, d, values, null), ld, resp);
        for (int r = 0; r < n; r++) {
          double[] p = Arrays.copyOfRange(resp, r * k, (r + 1) * k);
          int best = 0;
          for (int c = 1; c < k; c++) {
            if (p[c] > p[best]) {
              best = c;
            }
          }
          Row in = pending.get(r);
          int width = in.size();
          Object[] out = new Object[width + (flag ? 4 : 3)];
          for (int i = 0; i < width; i++) {
            out[i] = in.get(i);
          }
          out[width] = best;
          out[width + 1] = Vectors.dense(p);
          out[width + 2] = ld[r];
          if (flag) {
            out[width + 3] = ld[r] < threshold;
          }
          ready.add(RowFactory.create(out));
        }
        return true;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return ready.get(next++);
      }
    };
  }
}
