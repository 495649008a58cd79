package io.ferry.activities.postgres;

import io.ferry.activities.SecretResolver;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SecretRef;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A real PostgreSQL server (zonky's embedded binaries from Maven), started once per JVM, that asks
 * for a password over TCP: the role {@value #ROLE} logs in with {@link #PASSWORD} and owns the
 * database {@value #DATABASE}. These binaries carry no pgvector.
 */
public final class EmbeddedPostgresServer {

  public static final String ROLE = "ferry";
  public static final String PASSWORD = "pa'ss wörd\"$x";
  public static final String DATABASE = "app";

  private static EmbeddedPostgresServer shared;

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  public static synchronized EmbeddedPostgresServer shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  private static EmbeddedPostgresServer start() {
    try {
      Path data = Files.createTempDirectory("ferry-pg");
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(data)
              .setCleanDataDirectory(true)
              .setServerConfig("max_connections", "100")
              .start();
      Files.writeString(
          data.resolve("pg_hba.conf"),
          "local all all trust\n"
              + "host all postgres 127.0.0.1/32 trust\n"
              + "host all all 127.0.0.1/32 scram-sha-256\n"
              + "host all all ::1/128 scram-sha-256\n");
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE ROLE " + ROLE + " LOGIN CREATEDB PASSWORD " + Sql.literal(PASSWORD));
        s.execute("CREATE DATABASE " + DATABASE + " OWNER " + ROLE);
        s.execute("SELECT pg_reload_conf()");
      }
      return new EmbeddedPostgresServer(pg);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  /** The role {@value #ROLE} on {@value #DATABASE}, its password behind {@code env:PG_PASSWORD}. */
  public PostgresTarget target() {
    return new PostgresTarget(
        "127.0.0.1", port(), DATABASE, ROLE, SecretRef.of("env:PG_PASSWORD"), "disable");
  }

  public SecretResolver secrets() {
    return SecretResolver.withEnvironment(Map.of("PG_PASSWORD", PASSWORD, "WRONG", "nope")::get);
  }

  /** The postmaster's process id (the parent of every backend), for measuring its CPU. */
  public long postmasterPid() throws SQLException {
    try (Connection c = admin("postgres");
        Statement s = c.createStatement();
        java.sql.ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
      r.next();
      return ProcessHandle.of(r.getLong(1))
          .flatMap(ProcessHandle::parent)
          .map(ProcessHandle::pid)
          .orElseThrow(() -> new IllegalStateException("no postmaster above this backend"));
    }
  }

  /** A superuser connection to {@code database}, for checking what the adapter did. */
  public Connection admin(String database) throws SQLException {
    return postgres.getDatabase("postgres", database).getConnection();
  }

  private void close() {
    try {
      postgres.close();
    } catch (IOException ignored) {
      // the JVM is ending
    }
  }
}
