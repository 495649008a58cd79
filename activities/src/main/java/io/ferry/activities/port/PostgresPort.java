package io.ferry.activities.port;

import io.ferry.plan.PostgresTarget;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A PostgreSQL server. Database-level calls name the database; table-level calls act in {@code
 * target.database()}. Comments carry the marker of the run that created an object.
 */
public interface PostgresPort {

  String serverVersion(PostgresTarget target);

  Set<String> availableExtensions(PostgresTarget target);

  Optional<DatabaseInfo> database(PostgresTarget target, String database);

  void createDatabase(PostgresTarget target, String database, String comment);

  void createExtension(PostgresTarget target, String database, String extension);

  void dropDatabase(PostgresTarget target, String database);

  Optional<TableInfo> table(PostgresTarget target, String table);

  /** Creates a table of text columns, the first being the primary key. */
  void createTable(PostgresTarget target, String table, List<String> columns, String comment);

  void truncate(PostgresTarget target, String table);

  /** {@code COPY table (columns) FROM STDIN}; returns the rows copied. */
  long copyIn(PostgresTarget target, String table, List<String> columns, List<List<String>> rows);

  long countRows(PostgresTarget target, String table);

  /** Which of {@code keys} the table holds in {@code keyColumn} (at most a few thousand asked). */
  Set<String> presentKeys(PostgresTarget target, String table, String keyColumn, List<String> keys);

  void dropTable(PostgresTarget target, String table);

  /**
   * {@code pg_database_size(database)} in bytes; throws {@code NotFound} when it does not exist.
   */
  long databaseSize(PostgresTarget target, String database);

  /**
   * Whether this connection is encrypted ({@code SELECT ssl FROM pg_stat_ssl WHERE pid =
   * pg_backend_pid()}).
   */
  boolean connectionEncrypted(PostgresTarget target);

  record DatabaseInfo(String name, String comment, Set<String> extensions) {}

  record TableInfo(String name, String comment, List<String> columns) {}
}
