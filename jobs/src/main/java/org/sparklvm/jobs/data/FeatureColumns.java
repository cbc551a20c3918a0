package org.sparklvm.jobs.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.jobs.UserInputException;

/**
 * Which columns of a table hold the features and the weight, checked against its schema once, and the
 * conversion of one row to a {@code double[]} that names the column of any bad value.
 */
public final class FeatureColumns implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final String DEFAULT_VECTOR = "features";
  private static final String UNIT_INTERVAL = ", outside [0, 1] as a Bernoulli likelihood needs";

  /**
   * The largest magnitude a feature (or a weight) may have. EM sums weighted squares and cross
   * products of the features (second moments) over every row: at |x| <= 1e100 each is at most
   * 1e200, so the sums stay below Double.MAX_VALUE (about 1.8e308) for any total weight up to 1e108,
   * far more rows than any cluster holds. Beyond it a square can overflow to infinity, which surfaces
   * only in the M-step as a covariance that is not positive definite. No real measurement comes
   * near 1e100; values that large are corrupt or unscaled.
   */
  public static final double MAX_MAGNITUDE = 1e100;

  private final String vectorColumn;
  private final List<String> numericColumns;
  private final String weightColumn;
  private final int[] indices;
  private final int weightIndex;
  private final boolean unitInterval;

  private FeatureColumns(StructType schema, String vectorColumn, List<String> numericColumns,
      String weightColumn) {
    this.vectorColumn = vectorColumn;
    this.numericColumns = List.copyOf(numericColumns);
    this.weightColumn = weightColumn;
    if (vectorColumn != null) {
      indices = new int[] {schema.fieldIndex(vectorColumn)};
    } else {
      indices = numericColumns.stream().mapToInt(schema::fieldIndex).toArray();
    }
    weightIndex = weightColumn == null ? -1 : schema.fieldIndex(weightColumn);
    unitInterval = false;
  }

  private FeatureColumns(FeatureColumns other, boolean unitInterval) {
    this.vectorColumn = other.vectorColumn;
    this.numericColumns = other.numericColumns;
    this.weightColumn = other.weightColumn;
    this.indices = other.indices;
    this.weightIndex = other.weightIndex;
    this.unitInterval = unitInterval;
  }

  /** The same columns, every feature also required to lie in [0, 1] (a Bernoulli likelihood's x). */
  public FeatureColumns requireUnitInterval() {
    return new FeatureColumns(this, true);
  }

  /**
   * Resolves the spec against a schema: a named vector column, named numeric columns, or by default
   * the vector column {@code features} if there is one, otherwise every column but the weight.
   *
   * @throws UserInputException naming a missing column or one of the wrong type
   */
  public static FeatureColumns resolve(StructType schema, String featuresCol, List<String> featureCols,
      String weightCol) {
    if (weightCol != null) {
      requireNumeric(schema, weightCol, "weight");
    }
    if (featuresCol != null) {
      StructField f = field(schema, featuresCol);
      if (!f.dataType().equals(SQLDataTypes.VectorType())) {
        throw new UserInputException("column " + ColumnName.quoted(featuresCol) + " is "
            + f.dataType().simpleString()
            + ", not a vector; use --feature-cols for numeric columns");
      }
      return new FeatureColumns(schema, featuresCol, List.of(), weightCol);
    }
    if (!featureCols.isEmpty()) {
      for (String c : featureCols) {
        requireNumeric(schema, c, "feature");
      }
      return new FeatureColumns(schema, null, featureCols, weightCol);
    }
    if (Arrays.asList(schema.fieldNames()).contains(DEFAULT_VECTOR)
        && schema.apply(DEFAULT_VECTOR).dataType().equals(SQLDataTypes.VectorType())) {
      return new FeatureColumns(schema, DEFAULT_VECTOR, List.of(), weightCol);
    }
    List<String> numeric = new ArrayList<>();
    for (StructField f : schema.fields()) {
      if (f.name().equals(weightCol)) {
        continue;
      }
      if (!(f.dataType() instanceof NumericType)) {
        throw new UserInputException("column " + ColumnName.quoted(f.name()) + " is "
            + f.dataType().simpleString()
            + ", not numeric; name the feature columns with --feature-cols or --features-col");
      }
      numeric.add(f.name());
    }
    if (numeric.isEmpty()) {
      throw new UserInputException("the input has no feature columns");
    }
    return new FeatureColumns(schema, null, numeric, weightCol);
  }

  private static StructField field(StructType schema, String name) {
    if (!Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new UserInputException("column " + ColumnName.quoted(name)
          + " is missing; the input has columns " + ColumnName.list(schema.fieldNames()));
    }
    return schema.apply(name);
  }

  private static void requireNumeric(StructType schema, String name, String role) {
    DataType t = field(schema, name).dataType();
    if (!(t instanceof NumericType)) {
      throw new UserInputException(
          role + " column " + ColumnName.quoted(name) + " is " + t.simpleString()
              + ", not numeric");
    }
  }

  /** The vector column, or null when the features are numeric columns. */
  public String vectorColumn() {
    return vectorColumn;
  }

  /** The numeric feature columns, empty when the features are a vector column. */
  public List<String> numericColumns() {
    return numericColumns;
  }

  public String weightColumn() {
    return weightColumn;
  }

  /**
   * The features of a row.
   *
   * @throws BadRowException naming the column and value when one is null, NaN, infinite or
   *     beyond {@link #MAX_MAGNITUDE}
   */
  public double[] features(Row row) {
    double[] x;
    if (vectorColumn != null) {
      Object v = row.get(indices[0]);
      if (v == null) {
        throw new BadRowException("column " + ColumnName.quoted(vectorColumn) + " is null");
      }
      x = ((Vector) v).toArray();
      for (int j = 0; j < x.length; j++) {
        String problem = unusable(x[j]);
        if (problem == null && unitInterval && !(x[j] >= 0.0 && x[j] <= 1.0)) {
          problem = UNIT_INTERVAL;
        }
        if (problem != null) {
          throw new BadRowException("column " + ColumnName.quoted(vectorColumn) + " has " + x[j]
              + " at position " + j + problem);
        }
      }
    } else {
      x = new double[indices.length];
      for (int j = 0; j < indices.length; j++) {
        x[j] = numeric(row, indices[j], numericColumns.get(j));
        if (unitInterval && !(x[j] >= 0.0 && x[j] <= 1.0)) {
          throw new BadRowException("column " + ColumnName.quoted(numericColumns.get(j)) + " has "
              + x[j] + UNIT_INTERVAL);
        }
      }
    }
    return x;
  }

  /**
   * The row's weight, 1 without a weight column.
   *
   * @throws BadRowException when it is null, not finite or negative
   */
  public double weight(Row row) {
    if (weightIndex < 0) {
      return 1.0;
    }
    double w = numeric(row, weightIndex, weightColumn);
    if (w < 0.0) {
      throw new BadRowException(
          "weight column " + ColumnName.quoted(weightColumn) + " is negative: " + w);
    }
    return w;
  }

  private static double numeric(Row row, int index, String name) {
    Object v = row.get(index);
    if (v == null) {
      throw new BadRowException("column " + ColumnName.quoted(name) + " is null");
    }
    double x = ((Number) v).doubleValue();
    String problem = unusable(x);
    if (problem != null) {
      throw new BadRowException("column " + ColumnName.quoted(name) + " has " + x + problem);
    }
    return x;
  }

  /**
   * Why a value cannot be used whatever the likelihood (the message's tail), or null when it can:
   * the one place that refuses NaN, infinities and magnitudes beyond {@link #MAX_MAGNITUDE}.
   */
  private static String unusable(double x) {
    if (!Double.isFinite(x)) {
      return "";
    }
    if (Math.abs(x) > MAX_MAGNITUDE) {
      return ", beyond the largest magnitude accepted, 1e100 (EM's sums of squares would overflow)";
    }
    return null;
  }

  /** A row that cannot be used; the caller adds which row it is. */
  public static final class BadRowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadRowException(String message) {
      super(message);
    }
  }
}
