package org.sparklvm.jobs.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.sparklvm.jobs.UserInputException;

/** Column names in messages show what a terminal hides; feature values stay within the bound. */
class ColumnNameTest {

  @Test
  void invisibleCharactersAreEscaped() {
    assertEquals("'waiting'", ColumnName.quoted("waiting"));
    assertEquals("'waiting\\r'", ColumnName.quoted("waiting\r"));
    assertEquals("'a\\tb\\n'", ColumnName.quoted("a\tb\n"));
    // Zero-width space, byte-order mark, no-break space.
    assertEquals("'\\uFEFFid\\u200B x\\u00A0'", ColumnName.quoted("\uFEFFid\u200B x\u00A0"));
    assertEquals("'C:\\\\temp'", ColumnName.quoted("C:\\temp"));
    assertEquals("'été', ' b '", ColumnName.list("été", " b "));
  }

  @Test
  void missingColumnMessageShowsBothSides() {
    StructType schema = new StructType().add("eruptions", DataTypes.DoubleType)
        .add("waiting\r", DataTypes.DoubleType);
    UserInputException e = assertThrows(UserInputException.class,
        () -> FeatureColumns.resolve(schema, null, List.of("waiting"), null));
    assertEquals("column 'waiting' is missing; the input has columns 'eruptions', 'waiting\\r'",
        e.getMessage());
  }

  @Test
  void magnitudesUpTo1e100AreAcceptedAndNoMore() {
    StructType schema = new StructType().add("a", DataTypes.DoubleType)
        .add("w", DataTypes.DoubleType);
    FeatureColumns columns = FeatureColumns.resolve(schema, null, List.of("a"), "w");
    assertArrayEquals(new double[] {-1e100},
        columns.features(RowFactory.create(-1e100, 1.0)), 0.0);
    FeatureColumns.BadRowException e = assertThrows(FeatureColumns.BadRowException.class,
        () -> columns.features(RowFactory.create(Math.nextUp(1e100), 1.0)));
    assertTrue(e.getMessage().startsWith("column 'a' has 1.0000000000000002E100, beyond"),
        e.getMessage());
    assertThrows(FeatureColumns.BadRowException.class,
        () -> columns.weight(RowFactory.create(1.0, 1e101)));
  }
}
