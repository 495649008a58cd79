package io.ferry.activities.postgres;

import io.ferry.activities.Failures;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.copy.CopyIn;

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

  /**
   * The same CSV as {@link #write}, encoded straight to UTF-8 bytes in one buffer that goes to the
   * COPY as it fills: no Writer, no charset encoder, no second buffer. In UTF-8 the byte {@code "}
   * only ever stands for the character, so quotes are doubled on the bytes.
   */
  static final class Encoder {
    private final CopyIn copy;
    private final byte[] buffer;
    private int used;

    Encoder(CopyIn copy, int bufferBytes) {
      this.copy = copy;
      this.buffer = new byte[bufferBytes];
    }

    void write(List<String> row, int columns, String table) throws SQLException {
      if (row.size() != columns) {
        throw Failures.invalidInput(
            "a row for " + table + " has " + row.size() + " values for " + columns + " columns");
      }
      for (int i = 0; i < columns; i++) {
        if (i > 0) {
          put((byte) ',');
        }
        String value = row.get(i);
        if (value == null) {
          continue;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        put((byte) '"');
        int from = 0;
        for (int at = 0; at < bytes.length; at++) {
          byte b = bytes[at];
          if (b == '"') {
            put(bytes, from, at - from + 1);
            put((byte) '"');
            from = at + 1;
          } else if (b == 0) {
            throw Failures.invalidInput(
                "a value for " + table + " (row " + row.get(0) + ") contains a NUL character");
          }
        }
        put(bytes, from, bytes.length - from);
        put((byte) '"');
      }
      put((byte) '\n');
    }

    /** Sends what is buffered. */
    void flush() throws SQLException {
      if (used > 0) {
        copy.writeToCopy(buffer, 0, used);
        used = 0;
      }
    }

    private void put(byte b) throws SQLException {
      if (used == buffer.length) {
        flush();
      }
      buffer[used++] = b;
    }

    private void put(byte[] bytes, int offset, int length) throws SQLException {
      if (length > buffer.length - used) {
        flush();
        if (length > buffer.length) {
          copy.writeToCopy(bytes, offset, length);
          return;
        }
      }
      System.arraycopy(bytes, offset, buffer, used, length);
      used += length;
    }
  }
}
