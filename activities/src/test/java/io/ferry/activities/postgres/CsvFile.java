package io.ferry.activities.postgres;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/** Writes rows to a file in exactly the CSV that {@code PostgresJdbc.copyIn} streams. */
public final class CsvFile {

  private CsvFile() {}

  public static void write(
      Path file,
      int columns,
      String table,
      int count,
      IntPredicate include,
      IntFunction<List<String>> row)
      throws IOException {
    try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
      for (int i = 0; i < count; i++) {
        if (include.test(i)) {
          CsvRows.write(out, row.apply(i), columns, table);
        }
      }
    }
  }
}
