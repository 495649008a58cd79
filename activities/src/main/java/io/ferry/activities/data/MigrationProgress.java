package io.ferry.activities.data;

import java.util.Map;

/**
 * What {@code migrateMemory} heartbeats after each batch, and resumes from on a retry.
 *
 * @param cursor the scan cursor to continue from ({@code 0}: start)
 * @param setAside a sample of malformed keys with the reason for each
 */
public record MigrationProgress(
    String cursor, long scanned, long migrated, long malformed, Map<String, String> setAside) {

  public static final MigrationProgress START = new MigrationProgress("0", 0, 0, 0, Map.of());

  public MigrationProgress {
    setAside = setAside == null ? Map.of() : Map.copyOf(setAside);
  }
}
