package org.sparklvm.ml;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.jobs.data.FeatureColumns;

/** The feature-column parameters every estimator and model here shares. */
interface FeatureParams extends Params {

  /** A vector column of features. */
  Param<String> featuresCol();

  /** Numeric feature columns (used when {@code featuresCol} is not set). */
  StringArrayParam featureCols();

  /** The columns a schema holds for these parameters, checked. */
  default FeatureColumns resolveColumns(StructType schema, String weightCol) {
    String vector = isSet(featuresCol()) ? getOrDefault(featuresCol()) : null;
    List<String> cols = isSet(featureCols()) ? Arrays.asList(getOrDefault(featureCols())) : List.of();
    if (vector == null && cols.isEmpty()) {
      if (hasDefault(featuresCol())) {
        vector = getOrDefault(featuresCol());
      } else if (hasDefault(featureCols())) {
        cols = Arrays.asList(getOrDefault(featureCols()));
      }
    }
    return FeatureColumns.resolve(schema, vector, cols, weightCol);
  }
}
