package io.ferry.activities.postgres;

import io.ferry.activities.Failures;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Rows in the CSV that {@code COPY ... FROM STDIN (FORMAT csv)} reads: every value quoted (so an
 * empty string stays empty and {@code \.} is data), null as nothing at all.
 */
final class CsvRows {

  private CsvRows() {}

  static void write(Writer out, List<String> row, int columns, String table) throws IOException {
    if (row.size() != columns) {
      throw Failures.invalidInput(
          "a row for " + table + " has " + row.size() + " values for " + columns + " columns");
    }
    for (int i = 0; i < columns; i++) {
      if (i > 0) {
        out.write(',');
      }
      String value = row.get(i);
      if (value == null) {
        continue;
      }
      out.write('"');
      int from = 0;
      for (int at = 0; at < value.length(); at++) {
        char c = value.charAt(at);
        if (c == '"') {
          out.write(value, from, at - from + 1);
          out.write('"');
          from = at + 1;
        } else if (c == '\0') {
          throw Failures.invalidInput(
              "a value for " + table + " (row " + row.get(0) + ") contains a NUL character");
        }
      }
      out.write(value, from, value.length() - from);
      out.write('"');
    }
    out.write('\n');
  }
}
