package org.sparklvm.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparklvm.core.model.ModelMetadata;
import org.sparklvm.jobs.data.DataReader;
import org.sparklvm.jobs.data.FeatureColumns;
import org.sparklvm.jobs.data.InputSpec;
import picocli.CommandLine.Option;

/** Where the rows are and which columns are features. */
public final class InputOptions {

  @Option(names = "--input", required = true, description = "Input table (any Hadoop path)")
  String input;

  @Option(names = "--format", description = "parquet, csv, libsvm, orc or idx; default: from the path")
  String format;

  @Option(names = "--features-col", description = "A vector column of features")
  String featuresCol;

  @Option(names = "--feature-cols", split = ",", description = "Numeric feature columns, a,b,c")
  List<String> featureCols = new ArrayList<>();

  @Option(names = "--weight-col", description = "A numeric column of non-negative row weights")
  String weightCol;

  public InputSpec spec() {
    return new InputSpec(input, format, featuresCol, featureCols, weightCol);
  }

  /** The input read and its feature columns resolved, as fitting needs them. */
  Table read(SparkSession session) {
    InputSpec spec = spec();
    Dataset<Row> table = DataReader.read(session, spec);
    return new Table(spec, table, FeatureColumns.resolve(
        table.schema(), spec.featuresCol(), spec.featureCols(), spec.weightCol()));
  }

  /**
   * The input read for scoring with a model: the feature columns named on the command line, or else
   * the ones the model was fitted on.
   */
  Table readForModel(SparkSession session, ModelMetadata model) {
    InputSpec spec = spec();
    Dataset<Row> table = DataReader.read(session, spec);
    boolean named = spec.featuresCol() != null || !spec.featureCols().isEmpty();
    return new Table(spec, table, FeatureColumns.resolve(table.schema(),
        named ? spec.featuresCol() : model.featuresCol(),
        named ? spec.featureCols() : model.featureCols(), null));
  }

  /** An input read: its spec, its rows and their feature columns. */
  record Table(InputSpec spec, Dataset<Row> rows, FeatureColumns columns) {}
}
