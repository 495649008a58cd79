package io.ferry.activities.postgres;

import io.ferry.activities.Failures;
import io.ferry.activities.SecretResolver;
import io.ferry.plan.PostgresTarget;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * {@link PostgresJdbc}'s connections: idle ones are kept per server, database, role and TLS mode (a
 * few each), so a copy in many batches does not log in for each; one idle for long is checked
 * before it is used again. The password is resolved from its reference on each login.
 */
final class PostgresConnections implements AutoCloseable {

  private static final int IDLE_PER_DATABASE = 4;
  private static final long TRUST_IDLE_NANOS = 10_000_000_000L;

  private final SecretResolver secrets;
  private final Map<String, Deque<Idle>> idle = new HashMap<>();

  /** A connection given back, and when. */
  private record Idle(Connection connection, long since) {}

  PostgresConnections(SecretResolver secrets) {
    this.secrets = secrets;
  }

  /** An idle connection to {@code database} that still answers, or a new one. */
  Connection borrow(PostgresTarget target, String database) {
    String key = key(target, database);
    while (true) {
      Idle cached;
      synchronized (this) {
        Deque<Idle> q = idle.get(key);
        cached = q == null ? null : q.poll();
      }
      if (cached == null) {
        break;
      }
      try {
        if (System.nanoTime() - cached.since() < TRUST_IDLE_NANOS
            || cached.connection().isValid(2)) {
          return cached.connection();
        }
      } catch (SQLException e) {
        // dropped: open another
      }
      closeQuietly(cached.connection());
    }
    try {
      return open(secrets, target, database);
    } catch (SQLException e) {
      throw PostgresJdbc.failure(target, database, e);
    }
  }

  /** A new connection to {@code database}, as {@code target}'s role with its resolved password. */
  static Connection open(SecretResolver secrets, PostgresTarget target, String database)
      throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", Failures.require("user", target.user()));
    props.setProperty("password", secrets.resolve(target.password()));
    props.setProperty("sslmode", target.sslMode());
    props.setProperty("connectTimeout", "15");
    props.setProperty("ApplicationName", "ferry");
    return DriverManager.getConnection(url(target, database), props);
  }

  /** Keeps a healthy connection for the next call; closes it when enough are kept. */
  void giveBack(PostgresTarget target, String database, Connection c, boolean healthy) {
    if (healthy) {
      synchronized (this) {
        Deque<Idle> q = idle.computeIfAbsent(key(target, database), k -> new ArrayDeque<>());
        if (q.size() < IDLE_PER_DATABASE) {
          q.push(new Idle(c, System.nanoTime()));
          return;
        }
      }
    }
    closeQuietly(c);
  }

  /** Closes the idle connections to {@code database}, which would block dropping it. */
  synchronized void closeIdle(PostgresTarget target, String database) {
    Deque<Idle> q = idle.remove(key(target, database));
    if (q != null) {
      q.forEach(i -> closeQuietly(i.connection()));
    }
  }

  private static String key(PostgresTarget t, String database) {
    return t.user() + "@" + t.host() + ":" + t.port() + "/" + database + "?" + t.sslMode();
  }

  static String url(PostgresTarget t, String database) {
    String host = t.host().contains(":") ? "[" + t.host() + "]" : t.host();
    return "jdbc:postgresql://" + host + ":" + t.port() + "/" + database;
  }

  @Override
  public synchronized void close() {
    idle.values().forEach(q -> q.forEach(i -> closeQuietly(i.connection())));
    idle.clear();
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // already closed
    }
  }
}
