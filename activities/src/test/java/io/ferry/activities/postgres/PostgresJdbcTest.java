package io.ferry.activities.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.activities.Keys;
import io.ferry.activities.data.DataActivitiesImpl;
import io.ferry.activities.port.PostgresPort.TableInfo;
import io.ferry.contract.DataActivities.DatabaseDrop;
import io.ferry.contract.DataActivities.DatabaseReady;
import io.ferry.contract.DataActivities.DatabaseRequest;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SecretRef;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PostgresJdbcTest {

  private final EmbeddedPostgresServer server = EmbeddedPostgresServer.shared();
  private final PostgresTarget target = server.target();
  private final PostgresJdbc postgres = new PostgresJdbc(server.secrets());
  private final DataActivitiesImpl data = new DataActivitiesImpl(postgres, null, null, null, null);
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);

  @AfterEach
  void close() {
    postgres.close();
  }

  @Test
  void serverVersionAndExtensions_comeFromTheServer() {
    assertThat(postgres.serverVersion(target)).matches("\\d+\\.\\d+");
    assertThat(postgres.availableExtensions(target)).contains("plpgsql").doesNotContain("vector");
  }

  @Test
  void databaseSize_isWhatTheServerReports_andAMissingDatabaseIsNotFound() throws Exception {
    long expected;
    try (Connection c = server.admin("postgres");
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT pg_database_size('" + EmbeddedPostgresServer.DATABASE + "')")) {
      r.next();
      expected = r.getLong(1);
    }

    assertThat(postgres.databaseSize(target, EmbeddedPostgresServer.DATABASE))
        .isPositive()
        .isEqualTo(expected);
    assertThatThrownBy(() -> postgres.databaseSize(target, "missing_" + suffix))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.NOT_FOUND);
              assertThat(f.getOriginalMessage()).contains("missing_" + suffix);
            });
  }

  @Test
  void connectionEncrypted_isFalseOnAServerWithoutTls() {
    // the embedded server has no certificate: pg_stat_ssl says ssl = false for this backend
    assertThat(postgres.connectionEncrypted(target)).isFalse();
  }

  @Test
  void ensureDatabase_createsItWithTheMarker_andIsIdempotent_andDropOnlyDropsOurs() {
    String database = "orchestrator_" + suffix;
    DatabaseRequest request =
        new DatabaseRequest(target, database, List.of("plpgsql"), "run-1/ensure-database");

    DatabaseReady first = data.ensureDatabase(request);
    DatabaseReady again = data.ensureDatabase(request);

    assertThat(first.created()).isTrue();
    assertThat(again.created()).isTrue();
    var info = postgres.database(target, database).orElseThrow();
    assertThat(info.comment()).isEqualTo(Keys.marker("run-1/ensure-database"));
    assertThat(info.extensions()).contains("plpgsql");

    data.dropDatabaseIfCreated(new DatabaseDrop(target, database, "another-run/ensure-database"));
    assertThat(postgres.database(target, database)).isPresent();
    data.dropDatabaseIfCreated(new DatabaseDrop(target, database, "run-1/ensure-database"));
    assertThat(postgres.database(target, database)).isEmpty();
    data.dropDatabaseIfCreated(new DatabaseDrop(target, database, "run-1/ensure-database"));
  }

  @Test
  void createDatabase_twice_isAPreconditionFailure() {
    String database = "twice_" + suffix;
    postgres.createDatabase(target, database, "ferry:x");
    try {
      assertThatThrownBy(() -> postgres.createDatabase(target, database, "ferry:x"))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> assertThat(f.getType()).isEqualTo(FailureTypes.PRECONDITION));
    } finally {
      postgres.dropDatabase(target, database);
    }
  }

  @Test
  void serverWithoutPgvector_failsWithoutRetryNamingTheExtensionAndWhatToInstall() {
    String database = "novector_" + suffix;
    postgres.createDatabase(target, database, "ferry:x");
    try {
      assertThatThrownBy(() -> postgres.createExtension(target, database, "vector"))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> {
                assertThat(f.getType()).isEqualTo(FailureTypes.PRECONDITION);
                assertThat(f.isNonRetryable()).isTrue();
                assertThat(f.getOriginalMessage())
                    .contains("extension \"vector\" is not available")
                    .contains("pgvector")
                    .contains("postgresql-<major>-pgvector");
              });
      assertThatThrownBy(
              () ->
                  data.ensureDatabase(
                      new DatabaseRequest(target, database, List.of("vector"), "run-1/ensure")))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> {
                assertThat(f.getType()).isEqualTo(FailureTypes.PRECONDITION);
                assertThat(f.getOriginalMessage()).contains("extension vector is not available");
              });
    } finally {
      postgres.dropDatabase(target, database);
    }
  }

  @Test
  void tables_createWithMarkerReadBackTruncateCountDrop_withAwkwardNames() {
    String table = "we\"ird table " + suffix;
    List<String> columns = List.of("source_key", "Mixed Case", "a\"b");

    postgres.createTable(target, table, columns, "ferry:it's-ours");

    assertThat(postgres.table(target, table))
        .contains(new TableInfo(table, "ferry:it's-ours", columns));
    assertThat(postgres.copyIn(target, table, columns, List.of(List.of("k1", "x", "y"))))
        .isEqualTo(1);
    assertThat(postgres.countRows(target, table)).isEqualTo(1);
    postgres.truncate(target, table);
    assertThat(postgres.countRows(target, table)).isZero();
    postgres.dropTable(target, table);
    assertThat(postgres.table(target, table)).isEmpty();
    postgres.dropTable(target, table); // already gone: nothing to do
    assertThatThrownBy(() -> postgres.countRows(target, table))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureTypes.NOT_FOUND));
  }

  @Test
  void copyIn_awkwardValues_arriveExactly() throws Exception {
    String table = "awkward_" + suffix;
    List<String> columns = List.of("source_key", "value");
    postgres.createTable(target, table, columns, "ferry:t");
    List<List<String>> rows = new ArrayList<>();
    String[] values = {
      null,
      "",
      "\"",
      "\"quoted\", with comma",
      "line1\nline2\r\nline3\r",
      "back\\slash \\N \\.",
      "\\.",
      "tab\there",
      "  padded  ",
      "ünïcödé 日本語 🚀 \u00a0",
      "NULL",
      "'single'",
      ",",
    };
    for (int i = 0; i < values.length; i++) {
      rows.add(Arrays.asList("key-" + i, values[i]));
    }
    rows.add(Arrays.asList("key-\"odd\",\nkey", "v"));

    assertThat(postgres.copyIn(target, table, columns, rows)).isEqualTo(rows.size());

    List<List<String>> back = new ArrayList<>();
    try (Connection c = server.admin(EmbeddedPostgresServer.DATABASE);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT source_key, value FROM \"" + table + "\" ORDER BY source_key")) {
      while (r.next()) {
        back.add(Arrays.asList(r.getString(1), r.getString(2)));
      }
    }
    assertThat(back).containsExactlyInAnyOrderElementsOf(rows);
    postgres.dropTable(target, table);
  }

  @Test
  void copyIn_aDuplicateKey_landsNothingAndFailsWithoutRetry() {
    String table = "dup_" + suffix;
    List<String> columns = List.of("source_key", "value");
    postgres.createTable(target, table, columns, "ferry:t");
    postgres.copyIn(target, table, columns, List.of(List.of("a", "1")));

    assertThatThrownBy(
            () ->
                postgres.copyIn(
                    target, table, columns, List.of(List.of("b", "2"), List.of("a", "again"))))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureTypes.PRECONDITION));
    assertThat(postgres.countRows(target, table)).isEqualTo(1);
    // the connection is still usable after the failed COPY
    assertThat(postgres.copyIn(target, table, columns, List.of(List.of("b", "2")))).isEqualTo(1);
    postgres.dropTable(target, table);
  }

  @Test
  void presentKeys_answersWhichOfTheKeysTheTableHolds() {
    String table = "present " + suffix;
    List<String> columns = List.of("source_key", "value");
    postgres.createTable(target, table, columns, "ferry:t");
    postgres.copyIn(target, table, columns, List.of(List.of("a", "1"), List.of("it's \"b\"", "2")));

    assertThat(postgres.presentKeys(target, table, "source_key", List.of("it's \"b\"", "c", "a")))
        .containsExactlyInAnyOrder("a", "it's \"b\"");
    assertThat(postgres.presentKeys(target, table, "source_key", List.of())).isEmpty();
    postgres.dropTable(target, table);
  }

  @Test
  void wrongPassword_isAnAuthenticationFailureNamingTheReferenceNotTheValue() {
    PostgresTarget wrong =
        new PostgresTarget(
            "127.0.0.1",
            server.port(),
            EmbeddedPostgresServer.DATABASE,
            EmbeddedPostgresServer.ROLE,
            SecretRef.of("env:WRONG"),
            "disable");

    assertThatThrownBy(() -> postgres.serverVersion(wrong))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.AUTH);
              assertThat(f.getOriginalMessage()).contains("env:WRONG").doesNotContain("nope");
            });
  }

  @Test
  void sslModeRequire_isHonoured_byAServerWithoutTls() {
    PostgresTarget tls =
        new PostgresTarget(
            "127.0.0.1",
            server.port(),
            EmbeddedPostgresServer.DATABASE,
            EmbeddedPostgresServer.ROLE,
            SecretRef.of("env:PG_PASSWORD"),
            "require");

    assertThatThrownBy(() -> postgres.serverVersion(tls)).hasMessageContaining("SSL");
  }
}
