package io.ferry.activities.postgres;

import io.ferry.activities.Failures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** Quoting of names and literals that cannot be bind parameters (DDL, COMMENT ON). */
final class Sql {

  private static final int MAX_IDENTIFIER_BYTES = 63;

  private Sql() {}

  /** A name as a quoted identifier; longer than PostgreSQL keeps, or with NUL, is bad input. */
  static String identifier(String field, String name) {
    Failures.require(field, name);
    if (name.indexOf('\0') >= 0) {
      throw Failures.invalidInput(field + " must not contain a NUL character");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
      throw Failures.invalidInput(
          field + " '" + name + "' is longer than PostgreSQL's 63 bytes for a name");
    }
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  static String identifiers(String field, List<String> names) {
    return names.stream().map(n -> identifier(field, n)).collect(Collectors.joining(", "));
  }

  /** A string literal (standard_conforming_strings is on since PostgreSQL 9.1). */
  static String literal(String value) {
    if (value == null) {
      return "NULL";
    }
    if (value.indexOf('\0') >= 0) {
      throw Failures.invalidInput("a value must not contain a NUL character");
    }
    return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }
}
