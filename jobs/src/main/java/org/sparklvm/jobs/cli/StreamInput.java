package org.sparklvm.jobs.cli;

import java.util.List;
import java.util.Set;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.jobs.data.DataReader;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.InputSpec;

/**
 * The {@code --input} directory of a {@code --stream} command read as a stream ({@link
 * DataReader#readStream}), its feature columns those named on the command line, else the model's.
 *
 * @param stream the streaming table
 * @param columns the feature columns resolved against its schema
 */
record StreamInput(Dataset<Row> stream, FeatureColumns columns) {

  /**
   * @param modelFeaturesCol the model's vector column, or null
   * @param modelFeatureCols the model's numeric columns (empty for none)
   * @param filesPerBatch Spark's {@code maxFilesPerTrigger}, or null for every new file
   */
  static StreamInput open(SparkSession session, InputSpec in, String modelFeaturesCol,
      List<String> modelFeatureCols, Integer filesPerBatch) {
    boolean named = in.featuresCol() != null || !in.featureCols().isEmpty();
    String featuresCol = named ? in.featuresCol() : modelFeaturesCol;
    List<String> featureCols = named ? in.featureCols() : modelFeatureCols;
    StructType whenEmpty = new StructType();
    if (featuresCol != null) {
      whenEmpty = whenEmpty.add(featuresCol, SQLDataTypes.VectorType(), true);
    }
    for (String c : featureCols) {
      whenEmpty = whenEmpty.add(c, DataTypes.DoubleType, true);
    }
    Dataset<Row> stream = DataReader.readStream(session, in, whenEmpty, Set.copyOf(featureCols),
        filesPerBatch);
    StructType fields = new StructType();
    for (var f : stream.schema().fields()) {
      if (!f.name().equals(DataReader.CORRUPT_RECORD)) {
        fields = fields.add(f);
      }
    }
    return new StreamInput(stream,
        FeatureColumns.resolve(fields, featuresCol, featureCols, in.weightCol()));
  }
}
