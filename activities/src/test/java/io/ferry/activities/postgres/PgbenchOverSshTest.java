package io.ferry.activities.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.activities.SecretResolver;
import io.ferry.activities.ssh.Shell;
import io.ferry.activities.ssh.SshSessions;
import io.ferry.activities.ssh.TestSshServer;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SecretRef;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgbenchOverSshTest {

  @TempDir Path dir;

  private static boolean installed(String tool) {
    for (String d : System.getenv("PATH").split(":")) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  /** A resolver for the SSH client key and the database password alike. */
  private static SecretResolver both(TestSshServer ssh, EmbeddedPostgresServer pg) {
    return SecretResolver.withEnvironment(
        name ->
            switch (name) {
              case "PG_PASSWORD" -> EmbeddedPostgresServer.PASSWORD;
              case "WRONG" -> "not-the-password";
              default -> ssh.secrets().resolve(SecretRef.of("env:" + name));
            });
  }

  @Test
  void realPgbench_measuresTpsInAScratchSchemaItRemoves_withThePasswordOnlyOnStdin()
      throws Exception {
    assumeTrue(installed("pgbench") && installed("psql"), "pgbench and psql (postgresql-client)");
    EmbeddedPostgresServer pg = EmbeddedPostgresServer.shared();
    try (TestSshServer server = new TestSshServer(dir);
        SshSessions ssh = new SshSessions(both(server, pg))) {
      PgbenchOverSsh bench = new PgbenchOverSsh(ssh, both(server, pg));

      double tps = bench.pgbench(server.target(), pg.target(), 2, Duration.ofSeconds(2));

      assertThat(tps).isGreaterThan(0);
      assertThat(server.commands()).noneMatch(c -> c.contains(EmbeddedPostgresServer.PASSWORD));
      try (Connection c = pg.admin(EmbeddedPostgresServer.DATABASE);
          Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT count(*) FROM pg_namespace WHERE nspname = '"
                      + PgbenchOverSsh.SCHEMA
                      + "'")) {
        r.next();
        assertThat(r.getInt(1)).isZero();
      }
    }
  }

  @Test
  void realPgbench_wrongPassword_isAnAuthenticationFailure() throws Exception {
    assumeTrue(installed("pgbench") && installed("psql"), "pgbench and psql (postgresql-client)");
    EmbeddedPostgresServer pg = EmbeddedPostgresServer.shared();
    PostgresTarget wrong =
        new PostgresTarget(
            "127.0.0.1",
            pg.port(),
            EmbeddedPostgresServer.DATABASE,
            EmbeddedPostgresServer.ROLE,
            SecretRef.of("env:WRONG"),
            "disable");
    try (TestSshServer server = new TestSshServer(dir);
        SshSessions ssh = new SshSessions(both(server, pg))) {
      PgbenchOverSsh bench = new PgbenchOverSsh(ssh, both(server, pg));

      assertThatThrownBy(() -> bench.pgbench(server.target(), wrong, 1, Duration.ofSeconds(1)))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> {
                assertThat(f.getType()).isEqualTo(FailureTypes.AUTH);
                assertThat(f.getOriginalMessage()).contains("env:WRONG");
              });
    }
  }

  @Test
  void hostWithoutPgbench_failsWithoutRetrySayingWhatToInstall() throws Exception {
    try (TestSshServer server = new TestSshServer(dir, false)) {
      Files.createSymbolicLink(server.bin().resolve("sh"), Path.of("/bin/sh"));
      SecretResolver secrets =
          SecretResolver.withEnvironment(
              name ->
                  name.equals("PG_PASSWORD")
                      ? "pw"
                      : server.secrets().resolve(SecretRef.of("env:" + name)));
      try (SshSessions ssh = new SshSessions(secrets)) {
        PgbenchOverSsh bench = new PgbenchOverSsh(ssh, secrets);
        PostgresTarget target =
            new PostgresTarget(
                "10.0.0.5",
                5432,
                "orchestrator",
                "ferry",
                SecretRef.of("env:PG_PASSWORD"),
                "require");

        assertThatThrownBy(() -> bench.pgbench(server.target(), target, 4, Duration.ofSeconds(5)))
            .isInstanceOfSatisfying(
                ApplicationFailure.class,
                f -> {
                  assertThat(f.getType()).isEqualTo(FailureTypes.PRECONDITION);
                  assertThat(f.isNonRetryable()).isTrue();
                  assertThat(f.getOriginalMessage())
                      .contains("pgbench is not installed")
                      .contains("postgresql-client");
                });
      }
    }
  }

  @Test
  void fakePgbench_seesTheTargetInItsEnvironment_andTheArgumentsForClientsAndDuration()
      throws Exception {
    try (TestSshServer server = new TestSshServer(dir)) {
      Path log = dir.resolve("pgbench.log");
      String record =
          "printf '%s|%s|%s|%s|%s|%s|%s|%s\\n' \"$*\" \"$PGHOST\" \"$PGPORT\" \"$PGUSER\""
              + " \"$PGDATABASE\" \"$PGSSLMODE\" \"$PGPASSWORD\" \"$PGOPTIONS\" >> "
              + Shell.quote(log.toString())
              + "\n";
      server.fakeCommand("psql", record);
      server.fakeCommand(
          "pgbench",
          record
              + "case \"$1\" in -i) exit 0;; esac\n"
              + "echo 'number of transactions actually processed: 9000'\n"
              + "echo 'tps = 1523.250000 (without initial connection time)'\n");
      String password = "p a'ss$(touch /tmp/ferry-pwned)";
      SecretResolver secrets =
          SecretResolver.withEnvironment(
              name ->
                  name.equals("PG_PASSWORD")
                      ? password
                      : server.secrets().resolve(SecretRef.of("env:" + name)));
      try (SshSessions ssh = new SshSessions(secrets)) {
        PostgresTarget target =
            new PostgresTarget(
                "db.internal",
                6432,
                "orchestrator",
                "ferry",
                SecretRef.of("env:PG_PASSWORD"),
                "verify-full");

        double tps =
            new PgbenchOverSsh(ssh, secrets)
                .pgbench(server.target(), target, 3, Duration.ofMillis(1500));

        assertThat(tps).isEqualTo(1523.25);
        String env = "|db.internal|6432|ferry|orchestrator|verify-full|" + password + "|";
        assertThat(Files.readAllLines(log))
            .containsExactly(
                "-X -q -v ON_ERROR_STOP=1 -c DROP SCHEMA IF EXISTS ferry_pgbench CASCADE -c CREATE"
                    + " SCHEMA ferry_pgbench"
                    + env,
                "-i -q -s 3" + env + "-c search_path=ferry_pgbench",
                "-c 3 -j 3 -T 2" + env + "-c search_path=ferry_pgbench",
                "-X -q -c DROP SCHEMA IF EXISTS ferry_pgbench CASCADE"
                    + env
                    + "-c search_path=ferry_pgbench");
        assertThat(server.commands()).noneMatch(c -> c.contains(password));
        assertThat(Path.of("/tmp/ferry-pwned")).doesNotExist();
      }
    }
  }

  @Test
  void parseTps_readsNewAndOldPgbenchOutput() {
    assertThat(
            PgbenchOverSsh.parseTps(
                "latency average = 1.2 ms\ntps = 812.5 (without initial connection time)\n"))
        .isEqualTo(812.5);
    assertThat(
            PgbenchOverSsh.parseTps(
                "tps = 700.1 (including connections establishing)\n"
                    + "tps = 745.9 (excluding connections establishing)\n"))
        .isEqualTo(745.9);
    assertThatThrownBy(() -> PgbenchOverSsh.parseTps("error")).hasMessageContaining("no 'tps = '");
  }
}
