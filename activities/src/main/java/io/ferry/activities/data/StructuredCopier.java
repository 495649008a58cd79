package io.ferry.activities.data;

import static io.ferry.activities.data.DataActivitiesImpl.COPY_BATCH_ROWS;
import static io.ferry.activities.data.DataActivitiesImpl.SCAN_COUNT;
import static io.ferry.activities.data.DataActivitiesImpl.SOURCE_KEY_COLUMN;

import io.ferry.activities.Failures;
import io.ferry.activities.Keys;
import io.ferry.activities.port.MemoryStorePort;
import io.ferry.activities.port.MemoryStorePort.StoredValue;
import io.ferry.activities.port.PostgresPort;
import io.ferry.contract.DataActivities.CopyReport;
import io.ferry.contract.DataActivities.StructuredCopy;
import io.ferry.contract.DataActivities.TableCopySpec;
import io.temporal.activity.Activity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code copyStructured} and its undo: each table's hashes from the store into a table this run
 * creates (its marker in the table's comment), streamed in {@code COPY} batches as the SCAN finds
 * them. A retry truncates the table it made and copies afresh; a table it did not make is refused.
 */
final class StructuredCopier {

  private final PostgresPort postgres;
  private final MemoryStorePort store;

  StructuredCopier(PostgresPort postgres, MemoryStorePort store) {
    this.postgres = postgres;
    this.store = store;
  }

  CopyReport copy(StructuredCopy request) {
    String marker = Keys.marker(request.key());
    Map<String, Long> rows = new LinkedHashMap<>();
    for (TableCopySpec spec : request.tables()) {
      String table = Failures.require("tables.table", spec.table());
      if (spec.columns() == null || spec.columns().isEmpty()) {
        throw Failures.invalidInput("tables." + table + ".columns: name at least one column");
      }
      List<String> columns = new ArrayList<>();
      columns.add(SOURCE_KEY_COLUMN);
      columns.addAll(spec.columns());
      var existing = postgres.table(request.target(), table).orElse(null);
      if (existing == null) {
        postgres.createTable(request.target(), table, columns, marker);
      } else if (marker.equals(existing.comment())) {
        postgres.truncate(request.target(), table); // an earlier attempt's rows; copy afresh
      } else {
        throw Failures.precondition(
            "table "
                + table
                + " already exists in "
                + request.target().database()
                + " and was not created by this run; refusing to copy into it");
      }
      // Rows go to PostgreSQL in bounded batches as the scan finds them, never all at once.
      // A key SCAN may have returned before waits in doubtful (only those, not every key seen).
      SeenKeys seen = new SeenKeys();
      Map<String, List<String>> doubtful = new LinkedHashMap<>();
      long copied;
      try (PipelinedCopy copy =
          new PipelinedCopy(
              COPY_BATCH_ROWS,
              batch -> postgres.copyIn(request.target(), table, columns, batch),
              total -> Activity.getExecutionContext().heartbeat(Map.of(table, total)))) {
        DataActivitiesImpl.forEachPage(
            store,
            request.source(),
            spec.pattern(),
            page ->
                store
                    .read(request.source(), page)
                    .forEach(
                        (key, value) -> {
                          if (value instanceof StoredValue.Hash hash) {
                            List<String> row = new ArrayList<>(columns.size());
                            row.add(key);
                            spec.columns().forEach(c -> row.add(hash.fields().get(c)));
                            if (seen.addAndCheck(MemoryIds.forKey(key))) {
                              doubtful.putIfAbsent(key, row);
                            } else {
                              copy.add(row);
                            }
                          }
                        }));
        copied = copy.finish();
      }
      copied += copyThoseNotPresent(request, table, columns, doubtful);
      rows.put(table, copied);
      Activity.getExecutionContext().heartbeat(table);
    }
    return new CopyReport(rows);
  }

  /**
   * Copies the rows whose keys the filter flagged and the table does not hold: a key SCAN returned
   * twice is there already, a false positive of the filter is not.
   */
  private long copyThoseNotPresent(
      StructuredCopy request, String table, List<String> columns, Map<String, List<String>> rows) {
    List<String> keys = new ArrayList<>(rows.keySet());
    long copied = 0;
    for (int i = 0; i < keys.size(); i += SCAN_COUNT) {
      List<String> batch = keys.subList(i, Math.min(keys.size(), i + SCAN_COUNT));
      Set<String> present = postgres.presentKeys(request.target(), table, SOURCE_KEY_COLUMN, batch);
      List<List<String>> missing =
          batch.stream().filter(k -> !present.contains(k)).map(rows::get).toList();
      if (!missing.isEmpty()) {
        copied += postgres.copyIn(request.target(), table, columns, missing);
      }
    }
    return copied;
  }

  /** Drops the tables this run's copy created (its marker in their comment); others stay. */
  void drop(StructuredCopy request) {
    String marker = Keys.marker(request.key());
    for (TableCopySpec spec : request.tables()) {
      postgres
          .table(request.target(), spec.table())
          .filter(t -> marker.equals(t.comment()))
          .ifPresent(t -> postgres.dropTable(request.target(), t.name()));
    }
  }
}
