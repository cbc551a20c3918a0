package org.sparklvm.notebooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The parts of Zeppelin's {@code ZeppelinContext} ({@code z}) the notes use: text-box forms, which
 * return the value a test gives (or the default), and {@code show}, which runs the query and keeps
 * its rows, as Zeppelin's table display would.
 */
public final class StandInZeppelinContext {

  private final Map<String, String> forms;
  private final List<List<Row>> shown = new ArrayList<>();

  public StandInZeppelinContext(Map<String, String> forms) {
    this.forms = forms;
  }

  public Object textbox(String name, String defaultValue) {
    return forms.getOrDefault(name, defaultValue);
  }

  public Object textbox(String name) {
    return textbox(name, "");
  }

  /** Zeppelin shows the first 1000 rows of a Dataset as a table. */
  public void show(Object table) {
    show(table, 1000);
  }

  public void show(Object table, int maxResult) {
    if (!(table instanceof Dataset<?> dataset)) {
      throw new IllegalArgumentException("z.show takes a Dataset, got " + table);
    }
    shown.add(dataset.toDF().limit(maxResult).collectAsList());
  }

  /** Every table shown so far, in order. */
  public List<List<Row>> shown() {
    return shown;
  }
}
