package org.sparklvm.jobs.data;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Column names as messages show them: quoted, with every character a terminal would not show
 * escaped, so that a name carrying a carriage return copied from a CRLF header reads
 * {@code 'waiting\r'} rather than passing for {@code 'waiting'}.
 */
public final class ColumnName {

  private ColumnName() {}

  /** The name in single quotes, control, format and non-space blank characters escaped. */
  public static String quoted(String name) {
    StringBuilder s = new StringBuilder(name.length() + 2).append('\'');
    name.codePoints().forEach(c -> {
      switch (c) {
        case '\r' -> s.append("\\r");
        case '\n' -> s.append("\\n");
        case '\t' -> s.append("\\t");
        // Escaped so that a backslash in a name cannot be read as one of the escapes above.
        case '\\' -> s.append("\\\\");
        default -> {
          if (visible(c)) {
            s.appendCodePoint(c);
          } else {
            s.append(String.format("\\u%04X", c));
          }
        }
      }
    });
    return s.append('\'').toString();
  }

  /** The names, each {@link #quoted}, separated by commas. */
  public static String list(String... names) {
    return Arrays.stream(names).map(ColumnName::quoted).collect(Collectors.joining(", "));
  }

  private static boolean visible(int c) {
    if (c == ' ') {
      return true;
    }
    return switch (Character.getType(c)) {
      // Controls, zero-width and byte-order marks, no-break and other odd spaces, unassigned.
      case Character.CONTROL, Character.FORMAT, Character.SPACE_SEPARATOR,
          Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.PRIVATE_USE,
          Character.SURROGATE, Character.UNASSIGNED -> false;
      default -> true;
    };
  }
}
