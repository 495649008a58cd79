package io.ferry.activities.postgres;

import io.ferry.activities.Failures;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.PostgresPort;
import io.ferry.plan.PostgresTarget;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * {@link PostgresPort} over the PostgreSQL JDBC driver. Database-level calls connect to the {@code
 * postgres} maintenance database; names are quoted identifiers, markers are {@code COMMENT ON}
 * literals, and {@link #copyIn} streams CSV through the driver's CopyManager. Idle connections are
 * kept per server, database and role ({@link PostgresConnections}), so a copy in many batches does
 * not log in for each.
 */
public final class PostgresJdbc implements PostgresPort, AutoCloseable {

  static final String MAINTENANCE_DATABASE = "postgres";
  private static final int COPY_BUFFER_BYTES = 1 << 16;

  private final PostgresConnections connections;

  public PostgresJdbc(SecretResolver secrets) {
    this.connections = new PostgresConnections(secrets);
  }

  @FunctionalInterface
  private interface Work<T> {
    T apply(Connection connection) throws SQLException, IOException;
  }

  @Override
  public String serverVersion(PostgresTarget target) {
    return query(
        target,
        MAINTENANCE_DATABASE,
        c -> {
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery("SHOW server_version")) {
            r.next();
            return r.getString(1).split(" ")[0]; // "16.4 (Debian 16.4-1)" -> "16.4"
          }
        });
  }

  @Override
  public Set<String> availableExtensions(PostgresTarget target) {
    return query(
        target,
        MAINTENANCE_DATABASE,
        c -> strings(c, "SELECT name FROM pg_available_extensions", List.of()));
  }

  @Override
  public Optional<DatabaseInfo> database(PostgresTarget target, String database) {
    Failures.require("database", database);
    Optional<String[]> found =
        query(
            target,
            MAINTENANCE_DATABASE,
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database"
                          + " WHERE datname = ?")) {
                s.setString(1, database);
                try (ResultSet r = s.executeQuery()) {
                  return r.next()
                      ? Optional.of(new String[] {r.getString(1), r.getString(2)})
                      : Optional.empty();
                }
              }
            });
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Set<String> extensions =
        query(target, database, c -> strings(c, "SELECT extname FROM pg_extension", List.of()));
    return Optional.of(new DatabaseInfo(found.get()[0], found.get()[1], extensions));
  }

  @Override
  public void createDatabase(PostgresTarget target, String database, String comment) {
    String name = Sql.identifier("database", database);
    query(
        target,
        MAINTENANCE_DATABASE,
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name); // not allowed inside a transaction
            s.execute("COMMENT ON DATABASE " + name + " IS " + Sql.literal(comment));
          }
          return null;
        });
  }

  @Override
  public void createExtension(PostgresTarget target, String database, String extension) {
    String name = Sql.identifier("extension", extension);
    if (!availableExtensions(target).contains(extension)) {
      throw Failures.precondition(missingExtension(target, extension));
    }
    execute(target, database, "CREATE EXTENSION IF NOT EXISTS " + name);
  }

  /** What to tell the operator when the server lacks an extension. */
  static String missingExtension(PostgresTarget target, String extension) {
    String hint =
        "vector".equals(extension)
            ? "install pgvector on the server (Debian/Ubuntu: apt-get install"
                + " postgresql-<major>-pgvector; managed PostgreSQL: enable the pgvector"
                + " extension), then retry"
            : "install the package that provides it on the server, then retry";
    return "extension \""
        + extension
        + "\" is not available on the PostgreSQL server at "
        + target.host()
        + ":"
        + target.port()
        + "; "
        + hint;
  }

  @Override
  public void dropDatabase(PostgresTarget target, String database) {
    String name = Sql.identifier("database", database);
    connections.closeIdle(target, database); // our own idle sessions would block the drop
    execute(target, MAINTENANCE_DATABASE, "DROP DATABASE IF EXISTS " + name);
  }

  @Override
  public Optional<TableInfo> table(PostgresTarget target, String table) {
    Failures.require("table", table);
    return query(
        target,
        target.database(),
        c -> {
          long oid;
          String comment;
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT c.oid, obj_description(c.oid, 'pg_class') FROM pg_class c"
                      + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                      + " WHERE n.nspname = current_schema() AND c.relname = ?"
                      + " AND c.relkind IN ('r', 'p')")) {
            s.setString(1, table);
            try (ResultSet r = s.executeQuery()) {
              if (!r.next()) {
                return Optional.empty();
              }
              oid = r.getLong(1);
              comment = r.getString(2);
            }
          }
          List<String> columns = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT attname FROM pg_attribute WHERE attrelid = ? AND attnum > 0"
                      + " AND NOT attisdropped ORDER BY attnum")) {
            s.setLong(1, oid);
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                columns.add(r.getString(1));
              }
            }
          }
          return Optional.of(new TableInfo(table, comment, List.copyOf(columns)));
        });
  }

  @Override
  public void createTable(
      PostgresTarget target, String table, List<String> columns, String comment) {
    String name = Sql.identifier("table", table);
    if (columns == null || columns.isEmpty()) {
      throw Failures.invalidInput("table " + table + ": name at least one column");
    }
    StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(name).append(" (");
    for (int i = 0; i < columns.size(); i++) {
      ddl.append(i == 0 ? "" : ", ").append(Sql.identifier("column", columns.get(i)));
      ddl.append(i == 0 ? " text PRIMARY KEY" : " text");
    }
    ddl.append(')');
    query(
        target,
        target.database(),
        c -> {
          // table and marker together, or neither
          c.setAutoCommit(false);
          try (Statement s = c.createStatement()) {
            s.execute(ddl.toString());
            s.execute("COMMENT ON TABLE " + name + " IS " + Sql.literal(comment));
            c.commit();
          } catch (SQLException e) {
            c.rollback();
            throw e;
          } finally {
            c.setAutoCommit(true);
          }
          return null;
        });
  }

  @Override
  public void truncate(PostgresTarget target, String table) {
    execute(target, "TRUNCATE TABLE " + Sql.identifier("table", table));
  }

  @Override
  public long copyIn(
      PostgresTarget target, String table, List<String> columns, List<List<String>> rows) {
    String sql =
        "COPY "
            + Sql.identifier("table", table)
            + " ("
            + Sql.identifiers("column", columns)
            + ") FROM STDIN WITH (FORMAT csv)";
    return query(
        target,
        target.database(),
        c -> {
          CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
          try {
            CsvRows.Encoder out = new CsvRows.Encoder(copy, COPY_BUFFER_BYTES);
            for (List<String> row : rows) {
              out.write(row, columns.size(), table);
            }
            out.flush();
            return copy.endCopy();
          } catch (SQLException | RuntimeException e) {
            if (copy.isActive()) {
              copy.cancelCopy(); // nothing of a failed COPY lands
            }
            throw e;
          }
        });
  }

  @Override
  public long countRows(PostgresTarget target, String table) {
    String sql = "SELECT count(*) FROM " + Sql.identifier("table", table);
    return query(
        target,
        target.database(),
        c -> {
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
          }
        });
  }

  @Override
  public Set<String> presentKeys(
      PostgresTarget target, String table, String keyColumn, List<String> keys) {
    if (keys.isEmpty()) {
      return Set.of();
    }
    String sql =
        "SELECT "
            + Sql.identifier("keyColumn", keyColumn)
            + " FROM "
            + Sql.identifier("table", table)
            + " WHERE "
            + Sql.identifier("keyColumn", keyColumn)
            + " = ANY (?)";
    return query(
        target,
        target.database(),
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, c.createArrayOf("text", keys.toArray()));
            Set<String> present = new TreeSet<>();
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                present.add(r.getString(1));
              }
            }
            return present;
          }
        });
  }

  @Override
  public void dropTable(PostgresTarget target, String table) {
    execute(target, "DROP TABLE IF EXISTS " + Sql.identifier("table", table));
  }

  @Override
  public long databaseSize(PostgresTarget target, String database) {
    Failures.require("database", database);
    Optional<Long> size =
        query(
            target,
            MAINTENANCE_DATABASE,
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT pg_database_size(oid) FROM pg_database WHERE datname = ?")) {
                s.setString(1, database);
                try (ResultSet r = s.executeQuery()) {
                  return r.next() ? Optional.of(r.getLong(1)) : Optional.empty();
                }
              }
            });
    return size.orElseThrow(
        () ->
            Failures.notFound("database \"" + database + "\" does not exist on " + target.host()));
  }

  @Override
  public boolean connectionEncrypted(PostgresTarget target) {
    Failures.require("target", target);
    // the target's own database: a managed role may not reach the maintenance one
    String database = target.database() == null ? MAINTENANCE_DATABASE : target.database();
    return query(
        target,
        database,
        c -> {
          try (Statement s = c.createStatement();
              ResultSet r =
                  s.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            return r.next() && r.getBoolean(1);
          }
        });
  }

  @Override
  public void close() {
    connections.close();
  }

  private void execute(PostgresTarget target, String sql) {
    execute(target, target.database(), sql);
  }

  private static Set<String> strings(Connection c, String sql, List<String> params)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.size(); i++) {
        s.setString(i + 1, params.get(i));
      }
      Set<String> values = new TreeSet<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          values.add(r.getString(1));
        }
      }
      return values;
    }
  }

  /** One statement with no result, in {@code database}. */
  private void execute(PostgresTarget target, String database, String sql) {
    query(
        target,
        database,
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(sql);
          }
          return null;
        });
  }

  /** Runs {@code work} on a connection to {@code database}, mapping errors to failure types. */
  private <T> T query(PostgresTarget target, String database, Work<T> work) {
    Failures.require("target", target);
    Failures.require("host", target.host());
    Failures.require("database", database);
    Connection connection = connections.borrow(target, database);
    boolean healthy = false;
    try {
      T result = work.apply(connection);
      healthy = true;
      return result;
    } catch (SQLException e) {
      healthy = e.getSQLState() != null && !e.getSQLState().startsWith("08");
      throw failure(target, database, e);
    } catch (IOException e) {
      throw new IllegalStateException(
          "PostgreSQL at " + target.host() + ":" + target.port() + ": " + e.getMessage(), e);
    } finally {
      connections.giveBack(target, database, connection, healthy);
    }
  }

  /**
   * Permanent errors (authentication, missing objects, conflicts, bad data) do not retry; a lost or
   * refused connection and anything else does.
   */
  static RuntimeException failure(PostgresTarget target, String database, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String where =
        "PostgreSQL " + target.user() + "@" + target.host() + ":" + target.port() + "/" + database;
    String message = where + ": " + e.getMessage() + " (SQLSTATE " + state + ")";
    if (state.equals("28P01") || state.equals("28000")) {
      return ApplicationFailure.newNonRetryableFailure(
          where
              + ": the role "
              + target.user()
              + " was refused (check the password in "
              + target.password()
              + " and pg_hba.conf): "
              + e.getMessage(),
          FailureTypes.AUTH);
    }
    if (state.equals("3D000") || state.equals("42P01") || state.equals("42704")) {
      return Failures.notFound(message);
    }
    if (state.startsWith("22") || state.equals("42703") || state.equals("42601")) {
      return Failures.invalidInput(message);
    }
    if (state.startsWith("23")
        || state.equals("42P04")
        || state.equals("42P07")
        || state.equals("42710")
        || state.equals("42501")
        || state.equals("0A000")
        || state.equals("58P01")) {
      return Failures.precondition(message);
    }
    return new IllegalStateException(message, e);
  }
}
