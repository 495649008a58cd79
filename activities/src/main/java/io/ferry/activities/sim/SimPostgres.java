package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.BenchmarkPort;
import io.ferry.activities.port.PostgresPort;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SshTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * PostgreSQL 16.4 servers with the {@code vector} extension available. Any address answers; a
 * server starts with only the {@code postgres} database. pgbench measures {@value #TPS} TPS.
 */
final class SimPostgres implements PostgresPort, BenchmarkPort {

  static final String VERSION = "16.4";
  static final double TPS = 1240;
  private static final Set<String> AVAILABLE = Set.of("plpgsql", "vector", "pg_trgm", "pgcrypto");

  private final SimWorld world;
  private final Map<String, Map<String, Db>> servers = new TreeMap<>();

  private static final class Db {
    String comment;
    final Set<String> extensions = new TreeSet<>(Set.of("plpgsql"));
    final Map<String, Table> tables = new TreeMap<>();
  }

  private static final class Table {
    final List<String> columns;
    final String comment;
    final List<List<String>> rows = new ArrayList<>();
    final Set<String> keys = new HashSet<>();

    Table(List<String> columns, String comment) {
      this.columns = List.copyOf(columns);
      this.comment = comment;
    }
  }

  SimPostgres(SimWorld world) {
    this.world = world;
  }

  void seed(PostgresTarget target) {
    synchronized (world) {
      server(target);
    }
  }

  private Map<String, Db> server(PostgresTarget t) {
    String name = server(Failures.require("host", t.host()), t.port());
    if (!servers.containsKey(name)) {
      servers.put(name, new TreeMap<>());
      servers.get(name).put("postgres", new Db());
      putDb(name, "postgres", servers.get(name).get("postgres"));
    }
    return servers.get(name);
  }

  private static String server(String host, int port) {
    return host + ":" + port;
  }

  @Override
  public String serverVersion(PostgresTarget target) {
    synchronized (world) {
      server(target);
      return VERSION;
    }
  }

  @Override
  public Set<String> availableExtensions(PostgresTarget target) {
    synchronized (world) {
      server(target);
      return AVAILABLE;
    }
  }

  @Override
  public Optional<DatabaseInfo> database(PostgresTarget target, String database) {
    synchronized (world) {
      Db db = server(target).get(database);
      return db == null
          ? Optional.empty()
          : Optional.of(new DatabaseInfo(database, db.comment, Set.copyOf(db.extensions)));
    }
  }

  @Override
  public void createDatabase(PostgresTarget target, String database, String comment) {
    synchronized (world) {
      Map<String, Db> dbs = server(target);
      if (dbs.containsKey(database)) {
        throw Failures.precondition("database \"" + database + "\" already exists");
      }
      Db db = new Db();
      db.comment = comment;
      dbs.put(database, db);
      putDb(server(target.host(), target.port()), database, db);
    }
  }

  @Override
  public void createExtension(PostgresTarget target, String database, String extension) {
    synchronized (world) {
      if (!AVAILABLE.contains(extension)) {
        throw Failures.precondition("extension \"" + extension + "\" is not available");
      }
      Db db = requireDb(target, database);
      db.extensions.add(extension);
      putDb(server(target.host(), target.port()), database, db);
    }
  }

  @Override
  public void dropDatabase(PostgresTarget target, String database) {
    synchronized (world) {
      Db db = requireDb(target, database);
      String srv = server(target.host(), target.port());
      for (String table : db.tables.keySet()) {
        world.ledger.remove("table", srv + "/" + database + "." + table);
      }
      server(target).remove(database);
      world.ledger.remove("database", srv + "/" + database);
    }
  }

  @Override
  public Optional<TableInfo> table(PostgresTarget target, String table) {
    synchronized (world) {
      Table t = requireDb(target, target.database()).tables.get(table);
      return t == null ? Optional.empty() : Optional.of(new TableInfo(table, t.comment, t.columns));
    }
  }

  @Override
  public void createTable(
      PostgresTarget target, String table, List<String> columns, String comment) {
    synchronized (world) {
      Db db = requireDb(target, target.database());
      if (db.tables.containsKey(table)) {
        throw Failures.precondition("relation \"" + table + "\" already exists");
      }
      Table t = new Table(columns, comment);
      db.tables.put(table, t);
      putTable(target, table, t);
    }
  }

  @Override
  public void truncate(PostgresTarget target, String table) {
    synchronized (world) {
      Table t = requireTable(target, table);
      t.rows.clear();
      t.keys.clear();
      putTable(target, table, t);
    }
  }

  @Override
  public long copyIn(
      PostgresTarget target, String table, List<String> columns, List<List<String>> rows) {
    synchronized (world) {
      Table t = requireTable(target, table);
      if (!t.columns.equals(columns)) {
        throw Failures.invalidInput(
            "COPY columns " + columns + " do not match " + table + " " + t.columns);
      }
      Set<String> keys = new HashSet<>(t.keys);
      for (List<String> row : rows) {
        if (!keys.add(row.get(0))) {
          // COPY is all or nothing: nothing lands when one row is refused.
          throw Failures.precondition(
              "duplicate key value violates unique constraint \""
                  + table
                  + "_pkey\": "
                  + row.get(0));
        }
      }
      t.keys.addAll(keys);
      rows.forEach(row -> t.rows.add(new ArrayList<>(row)));
      putTable(target, table, t);
      return rows.size();
    }
  }

  @Override
  public Set<String> presentKeys(
      PostgresTarget target, String table, String keyColumn, List<String> keys) {
    synchronized (world) {
      Table t = requireTable(target, table);
      if (!t.columns.isEmpty() && !t.columns.get(0).equals(keyColumn)) {
        throw Failures.invalidInput(keyColumn + " is not the key column of " + table);
      }
      return keys.stream().filter(t.keys::contains).collect(java.util.stream.Collectors.toSet());
    }
  }

  @Override
  public long countRows(PostgresTarget target, String table) {
    synchronized (world) {
      return requireTable(target, table).rows.size();
    }
  }

  @Override
  public void dropTable(PostgresTarget target, String table) {
    synchronized (world) {
      Db db = requireDb(target, target.database());
      if (db.tables.remove(table) == null) {
        throw Failures.notFound("table \"" + table + "\" does not exist");
      }
      world.ledger.remove(
          "table", server(target.host(), target.port()) + "/" + target.database() + "." + table);
    }
  }

  @Override
  public double pgbench(SshTarget host, PostgresTarget target, int clients, Duration duration) {
    synchronized (world) {
      world.hosts.reach(host);
      requireDb(target, target.database());
      return TPS;
    }
  }

  /** 700 MiB for every database that exists. */
  @Override
  public long databaseSize(PostgresTarget target, String database) {
    synchronized (world) {
      requireDb(target, database);
      return 734_003_200L;
    }
  }

  /** Encrypted unless the target allows plain text (disable or prefer). */
  @Override
  public boolean connectionEncrypted(PostgresTarget target) {
    synchronized (world) {
      server(target);
      return !List.of("disable", "prefer").contains(target.sslMode());
    }
  }

  private Db requireDb(PostgresTarget target, String database) {
    Db db = server(target).get(Failures.require("database", database));
    if (db == null) {
      throw Failures.notFound("database \"" + database + "\" does not exist on " + target.host());
    }
    return db;
  }

  private Table requireTable(PostgresTarget target, String table) {
    Table t = requireDb(target, target.database()).tables.get(table);
    if (t == null) {
      throw Failures.notFound("relation \"" + table + "\" does not exist");
    }
    return t;
  }

  private void putDb(String server, String name, Db db) {
    Map<String, String> a = new LinkedHashMap<>();
    if (db.comment != null) {
      a.put("comment", db.comment);
    }
    a.put("extensions", String.join(",", db.extensions));
    world.ledger.put(new Resource("database", server + "/" + name, a));
  }

  private void putTable(PostgresTarget target, String table, Table t) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("columns", String.join(",", t.columns));
    if (t.comment != null) {
      a.put("comment", t.comment);
    }
    a.put("rows", Integer.toString(t.rows.size()));
    world.ledger.put(
        new Resource(
            "table",
            server(target.host(), target.port()) + "/" + target.database() + "." + table,
            a));
  }
}
