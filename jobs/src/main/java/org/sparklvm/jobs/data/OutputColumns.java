package org.sparklvm.jobs.data;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparklvm.jobs.UserInputException;

/** The schema of a scored table: the input's columns, then the ones a job adds. */
public final class OutputColumns {

  private OutputColumns() {}

  /**
   * @throws UserInputException when the input already has a column the job would add
   */
  public static StructType append(StructType input, StructField... added) {
    List<String> names = Arrays.asList(input.fieldNames());
    StructType out = input;
    for (StructField f : added) {
      if (names.contains(f.name())) {
        throw new UserInputException("the input already has a column " + ColumnName.quoted(f.name())
            + " that this job would add; rename or drop it");
      }
      out = out.add(f);
    }
    return out;
  }
}
