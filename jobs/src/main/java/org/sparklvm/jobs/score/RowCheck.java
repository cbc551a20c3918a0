package org.sparklvm.jobs.score;

import java.io.Serializable;
import org.apache.spark.sql.Row;
import org.sparklvm.jobs.data.FeatureColumns;

/**
 * Why one row cannot be scored, or null when it can: the batch check's reasons ({@link
 * FeatureColumns#features}: the column and the value) for one row at a time, so that a stream can
 * set a bad row aside instead of failing.
 */
final class RowCheck implements Serializable {

  private static final long serialVersionUID = 1L;

  private final FeatureColumns columns;
  private final int dim;
  private final int corruptRecord;

  /**
   * @param columns the feature columns, with the scorer's constraints
   * @param dim the model's dimension
   * @param corruptRecord the index of the parser's column holding a record it could not read whole,
   *     or -1 for none
   */
  RowCheck(FeatureColumns columns, int dim, int corruptRecord) {
    this.columns = columns;
    this.dim = dim;
    this.corruptRecord = corruptRecord;
  }

  String problem(Row row) {
    String problem;
    try {
      double[] x = columns.features(row);
      problem = x.length == dim ? null
          : "has " + x.length + " features but the model has " + dim;
    } catch (FeatureColumns.BadRowException e) {
      problem = e.getMessage();
    }
    if (corruptRecord >= 0 && !row.isNullAt(corruptRecord)) {
      // The parser read the record only in part (a field that is not a number, too few or too many
      // fields): refused even when the feature columns it did fill look usable.
      problem = (problem == null ? "the record does not fit the columns" : problem)
          + "; the record: '" + row.getString(corruptRecord).strip() + "'";
    }
    return problem;
  }
}
