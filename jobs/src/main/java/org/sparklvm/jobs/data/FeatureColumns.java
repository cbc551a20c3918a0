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
        throw new UserInputException("column '" + featuresCol + "' is " + f.dataType().simpleString()
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
        throw new UserInputException("column '" + f.name() + "' is " + f.dataType().simpleString()
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
      throw new UserInputException("column '" + name + "' is missing; the input has columns "
          + String.join(", ", schema.fieldNames()));
    }
    return schema.apply(name);
  }

  private static void requireNumeric(StructType schema, String name, String role) {
    DataType t = field(schema, name).dataType();
    if (!(t instanceof NumericType)) {
      throw new UserInputException(
          role + " column '" + name + "' is " + t.simpleString() + ", not numeric");
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
   * @throws BadRowException naming the column and value when one is null, NaN or infinite
   */
  public double[] features(Row row) {
    double[] x;
    if (vectorColumn != null) {
      Object v = row.get(indices[0]);
      if (v == null) {
        throw new BadRowException("column '" + vectorColumn + "' is null");
      }
      x = ((Vector) v).toArray();
      for (int j = 0; j < x.length; j++) {
        if (!Double.isFinite(x[j]) || unitInterval && !(x[j] >= 0.0 && x[j] <= 1.0)) {
          throw new BadRowException("column '" + vectorColumn + "' has " + x[j] + " at position "
              + j + (unitInterval ? UNIT_INTERVAL : ""));
        }
      }
    } else {
      x = new double[indices.length];
      for (int j = 0; j < indices.length; j++) {
        x[j] = numeric(row, indices[j], numericColumns.get(j));
        if (unitInterval && !(x[j] >= 0.0 && x[j] <= 1.0)) {
          throw new BadRowException(
              "column '" + numericColumns.get(j) + "' has " + x[j] + UNIT_INTERVAL);
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
      throw new BadRowException("weight column '" + weightColumn + "' is negative: " + w);
    }
    return w;
  }

  private static double numeric(Row row, int index, String name) {
    Object v = row.get(index);
    if (v == null) {
      throw new BadRowException("column '" + name + "' is null");
    }
    double x = ((Number) v).doubleValue();
    if (!Double.isFinite(x)) {
      throw new BadRowException("column '" + name + "' has " + x);
    }
    return x;
  }

  /** Describes the features for metadata and logs. */
  public String describe() {
    return vectorColumn != null ? "vector column '" + vectorColumn + "'"
        : "columns " + String.join(", ", numericColumns);
  }

  /** A row that cannot be used; the caller adds which row it is. */
  public static final class BadRowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadRowException(String message) {
      super(message);
    }
  }
}
