package io.ferry.activities.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.ReplicationPort.Standby;
import io.ferry.activities.postgres.PostgresReplication;
import io.ferry.activities.ssh.SshSessions;
import io.ferry.activities.ssh.SshStandby;
import io.ferry.activities.ssh.TestSshServer;
import io.ferry.contract.ReplicationActivities.PrimaryCheck;
import io.ferry.contract.ReplicationActivities.PrimaryReport;
import io.ferry.contract.ReplicationActivities.Replica;
import io.ferry.contract.ReplicationActivities.ReplicaLogins;
import io.ferry.contract.ReplicationActivities.Replicas;
import io.ferry.contract.ReplicationActivities.Slots;
import io.ferry.contract.ReplicationActivities.StreamingCheck;
import io.ferry.contract.ReplicationActivities.StreamingReport;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SecretRef;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streaming replication between real PostgreSQL 15 servers (Debian's binaries) started here: a
 * primary with password authentication and a replication role, and two standbys made through the
 * in-process SSH server by {@code pg_basebackup -R -S SLOT -X stream}. PostgreSQL refuses to run as
 * root, so when the test runs as root the servers run as {@code postgres} (through {@code
 * runuser}).
 */
class StreamingReplicationTest {

  private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
  private static final String PASSWORD = "s3cret 'pw\" $x";
  private static final String OS_USER = "postgres";

  private Path dir;
  private Path primaryData;
  private int primaryPort;
  private TestSshServer server;
  private SshSessions ssh;
  private PostgresReplication replication;
  private ReplicationActivitiesImpl activities;
  private final List<Path> started = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(BIN.resolve("initdb")),
        "no PostgreSQL 15 in " + BIN + " (apt-get install -y postgresql-15)");
    boolean root = "root".equals(System.getProperty("user.name"));
    Assumptions.assumeTrue(
        root || OS_USER.equals(System.getProperty("user.name")),
        "PostgreSQL must run as " + OS_USER + ": run the tests as root or as " + OS_USER);
    Assumptions.assumeTrue(
        !root || exec("id", "-u", OS_USER).isEmpty() == false, "no " + OS_USER + " user here");
    // a directory the postgres user can enter (a JUnit @TempDir is private to root)
    dir = Files.createTempDirectory(Path.of("/tmp"), "ferry-replication-");
    Files.setPosixFilePermissions(
        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    chown(dir);
    primaryData = dir.resolve("primary");
    Path pwfile = dir.resolve("pw");
    Files.writeString(pwfile, PASSWORD + "\n");
    chown(pwfile);
    primaryPort = freePort();
    asPostgres(
        BIN.resolve("initdb").toString(),
        "-D",
        primaryData.toString(),
        "-U",
        "postgres",
        "--pwfile=" + pwfile,
        "--auth-local=trust",
        "--auth-host=scram-sha-256");
    Files.delete(pwfile);
    appendAsPostgres(
        primaryData.resolve("postgresql.conf"),
        "port = "
            + primaryPort
            + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '"
            + dir
            + "'\nwal_level = replica\nmax_wal_senders = 10\nmax_replication_slots = 10\n");
    // only the replicator may open a replication connection (initdb allows every role)
    Path hba = primaryData.resolve("pg_hba.conf");
    Files.writeString(
        hba,
        String.join(
                "\n",
                Files.readAllLines(hba).stream().filter(l -> !l.contains("replication")).toList())
            + "\n");
    // walless may connect for replication by pg_hba.conf but lacks the REPLICATION privilege
    appendAsPostgres(
        primaryData.resolve("pg_hba.conf"),
        "host replication replicator 127.0.0.1/32 scram-sha-256\n"
            + "host replication walless 127.0.0.1/32 scram-sha-256\n");
    pgCtl(primaryData, "start");
    sql(
        primary(),
        "create role replicator login replication password '" + PASSWORD.replace("'", "''") + "'");
    sql(primary(), "create role plain login password '" + PASSWORD.replace("'", "''") + "'");
    sql(primary(), "create role walless login password '" + PASSWORD.replace("'", "''") + "'");
    // a REPLICATION role that cannot see the standbys' state: what a bare admin role often is
    sql(
        primary(),
        "create role blind login replication password '" + PASSWORD.replace("'", "''") + "'");
    server = new TestSshServer(Files.createDirectories(dir.resolve("ssh")));
    ssh = new SshSessions(server.secrets());
    SecretResolver secrets =
        SecretResolver.withEnvironment(
            name ->
                name.equals("PG_PASSWORD")
                    ? PASSWORD
                    : server.secrets().resolve(SecretRef.of("env:" + name)));
    replication = new PostgresReplication(secrets);
    activities = new ReplicationActivitiesImpl(replication, new SshStandby(ssh, secrets));
  }

  @AfterEach
  void stop() throws Exception {
    if (ssh != null) {
      ssh.close();
      server.close();
    }
    if (dir == null) {
      return;
    }
    for (Path data : started) {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        new ProcessBuilder(
                runAs(
                    BIN.resolve("pg_ctl").toString(),
                    "-D",
                    data.toString(),
                    "-m",
                    "immediate",
                    "-w",
                    "stop"))
            .redirectErrorStream(true)
            .start()
            .waitFor(60, TimeUnit.SECONDS);
      }
    }
    if (Files.exists(primaryData.resolve("postmaster.pid"))) {
      new ProcessBuilder(
              runAs(
                  BIN.resolve("pg_ctl").toString(),
                  "-D",
                  primaryData.toString(),
                  "-m",
                  "immediate",
                  "-w",
                  "stop"))
          .redirectErrorStream(true)
          .start()
          .waitFor(60, TimeUnit.SECONDS);
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private PostgresTarget primary() {
    return new PostgresTarget(
        "127.0.0.1",
        primaryPort,
        "postgres",
        "postgres",
        SecretRef.of("env:PG_PASSWORD"),
        "disable");
  }

  private Replicas replicas(Replica... list) {
    return new Replicas(primary(), "replicator", SecretRef.of("env:PG_PASSWORD"), List.of(list));
  }

  private Replica replica(String name) throws Exception {
    Path data = dir.resolve(name).resolve("data");
    started.add(data);
    Files.createDirectories(data.getParent());
    chown(data.getParent());
    return new Replica(
        name,
        server.target(),
        "127.0.0.1",
        BIN.toString(),
        data.toString(),
        freePort(),
        name,
        OS_USER);
  }

  @Test
  void twoReplicas_streamFromTheirSlots_withMeasuredLag_andTheUndoLeavesNoSlotAndNoReplica()
      throws Exception {
    Replica tx = replica("replica_tx");
    Replica vg = replica("replica_vg");
    Replicas both = replicas(tx, vg);

    PrimaryReport report = activities.inspectPrimary(new PrimaryCheck(primary(), 2));
    ReplicaLogins logins = activities.checkReplicaLogins(both);
    activities.createSlots(new Slots(primary(), List.of("replica_tx", "replica_vg")));
    activities.createSlots(new Slots(primary(), List.of("replica_tx", "replica_vg")));
    activities.bootstrapReplicas(both);
    activities.bootstrapReplicas(both);
    sql(primary(), "create table ferry_probe as select 42 as answer");
    StreamingReport streaming =
        eventually(
            () -> {
              StreamingReport seen =
                  activities.measureStreaming(new StreamingCheck(both, Duration.ofSeconds(10)));
              if (!seen.passed()) {
                throw new IllegalStateException(seen.detail());
              }
              return seen;
            });

    assertThat(report.walLevel()).isEqualTo("replica");
    assertThat(logins.replicas()).containsExactly("replica_tx", "replica_vg");
    assertThat(logins.systemId())
        .isEqualTo(query(primary(), "select system_identifier::text from pg_control_system()"));
    assertThat(streaming.replicas())
        .extracting(r -> r.name() + "@" + r.address() + ":" + r.state())
        .containsExactly("replica_tx@127.0.0.1:streaming", "replica_vg@127.0.0.1:streaming");
    assertThat(replication.slot(primary(), "replica_tx"))
        .hasValueSatisfying(s -> assertThat(s.active()).isTrue());
    PostgresTarget standby =
        new PostgresTarget(
            "127.0.0.1",
            tx.port(),
            "postgres",
            "postgres",
            SecretRef.of("env:PG_PASSWORD"),
            "disable");
    assertThat(eventually(() -> query(standby, "select answer from ferry_probe"))).isEqualTo("42");
    List<Standby> measured = replication.standbys(primary());
    System.out.println(
        "[replication] lag per standby: "
            + measured.stream()
                .map(
                    s -> s.applicationName() + "=" + s.replayLag() + "/" + s.replayLagBytes() + "B")
                .toList());
    assertThat(measured).allSatisfy(s -> assertThat(s.replayLagBytes()).isGreaterThanOrEqualTo(0));

    activities.removeReplicas(both);
    activities.removeReplicas(both);
    activities.dropSlots(new Slots(primary(), List.of("replica_tx", "replica_vg")));

    assertThat(query(primary(), "select count(*) from pg_replication_slots")).isEqualTo("0");
    assertThat(Path.of(tx.dataDir())).doesNotExist();
    assertThat(Path.of(vg.dataDir())).doesNotExist();
    assertThat(
            eventually(
                () -> {
                  String n = query(primary(), "select count(*) from pg_stat_replication");
                  if (!n.equals("0")) {
                    throw new IllegalStateException("still " + n + " walsenders");
                  }
                  return n;
                }))
        .isEqualTo("0");
  }

  @Test
  void aCopyADeadWorkerLeftHalfDone_isMadeAgain_notStartedAsAStandby_andWaitsForOneStillCopying()
      throws Exception {
    Replica half = replica("replica_half");
    Replicas one = replicas(half);
    activities.createSlots(new Slots(primary(), List.of("replica_half")));
    // what a worker killed in the middle of pg_basebackup leaves: Ferry's lock file beside a
    // data directory that already has PG_VERSION but not the rest
    Path data = Path.of(half.dataDir());
    Path partial = Path.of(half.dataDir() + ".ferry-partial");
    Files.createDirectories(data);
    Files.writeString(data.resolve("PG_VERSION"), "15\n");
    Files.writeString(data.resolve("half-copied"), "");
    Files.writeString(partial, "");
    exec("chown", "-R", OS_USER, data.toString());

    // an earlier copy that still runs holds the lock: this attempt waits for a later retry
    Process copying = new ProcessBuilder("flock", "-o", partial.toString(), "sleep", "60").start();
    try {
      Thread.sleep(300);
      assertThatThrownBy(() -> activities.bootstrapReplicas(one))
          .hasMessageContaining("an earlier pg_basebackup into " + data + " is still copying");
      assertThat(data.resolve("half-copied")).exists();
    } finally {
      copying.destroy();
      copying.waitFor(10, TimeUnit.SECONDS);
    }

    activities.bootstrapReplicas(one);
    StreamingReport streaming =
        eventually(
            () -> {
              StreamingReport seen =
                  activities.measureStreaming(new StreamingCheck(one, Duration.ofSeconds(10)));
              if (!seen.passed()) {
                throw new IllegalStateException(seen.detail());
              }
              return seen;
            });

    assertThat(streaming.replicas()).extracting(r -> r.state()).containsExactly("streaming");
    assertThat(data.resolve("half-copied")).as("the half copy was made again").doesNotExist();
    assertThat(data.resolve("ferry-standby")).exists();
    assertThat(partial).doesNotExist();
    activities.removeReplicas(one);
    assertThat(data).doesNotExist();
    assertThat(query(primary(), "select count(*) from pg_replication_slots")).isEqualTo("0");
  }

  @Test
  void aRoleWithoutReplication_isNamedBeforeAnythingChanges() {
    PostgresTarget plain =
        new PostgresTarget(
            "127.0.0.1",
            primaryPort,
            "postgres",
            "plain",
            SecretRef.of("env:PG_PASSWORD"),
            "disable");

    assertThatThrownBy(() -> activities.inspectPrimary(new PrimaryCheck(plain, 3)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.PRECONDITION);
              assertThat(f.getOriginalMessage())
                  .contains("role plain lacks the REPLICATION privilege")
                  .contains("nothing was changed");
            });
  }

  @Test
  void aRoleThatCannotReadTheStandbysState_isNamedWithTheGrant_beforeAnythingChanges() {
    PostgresTarget blind =
        new PostgresTarget(
            "127.0.0.1",
            primaryPort,
            "postgres",
            "blind",
            SecretRef.of("env:PG_PASSWORD"),
            "disable");

    assertThatThrownBy(() -> activities.inspectPrimary(new PrimaryCheck(blind, 2)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.PRECONDITION);
              assertThat(f.getOriginalMessage())
                  .contains("GRANT pg_read_all_stats TO blind")
                  .doesNotContain("REPLICATION privilege");
            });
  }

  @Test
  void preflight_namesThePgHbaLineToAdd_forAReplicaHostThePrimaryDoesNotAllow() throws Exception {
    Replicas asPlain =
        new Replicas(
            primary(), "plain", SecretRef.of("env:PG_PASSWORD"), List.of(replica("replica_tx")));

    assertThatThrownBy(() -> activities.checkReplicaLogins(asPlain))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.PRECONDITION);
              assertThat(f.getOriginalMessage())
                  .contains("nothing was changed")
                  .contains("replica_tx")
                  .contains("add `host replication plain 127.0.0.1/32 scram-sha-256`")
                  .doesNotContain(PASSWORD);
            });
    assertThat(query(primary(), "select count(*) from pg_replication_slots")).isEqualTo("0");
  }

  @Test
  void preflight_namesTheMissingReplicationPrivilege_ofTheReplicasRole() throws Exception {
    Replicas asWalless =
        new Replicas(
            primary(), "walless", SecretRef.of("env:PG_PASSWORD"), List.of(replica("replica_tx")));

    assertThatThrownBy(() -> activities.checkReplicaLogins(asWalless))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f ->
                assertThat(f.getOriginalMessage())
                    .contains("role walless lacks the REPLICATION privilege")
                    .contains("ALTER ROLE walless REPLICATION")
                    .doesNotContain(PASSWORD));
  }

  @Test
  void aReplicaThePrimaryDoesNotAllow_failsNamingThePgHbaRule_andLeavesNothing() throws Exception {
    Replica tx = replica("replica_tx");
    Replicas asPlain =
        new Replicas(primary(), "plain", SecretRef.of("env:PG_PASSWORD"), List.of(tx));
    activities.createSlots(new Slots(primary(), List.of("replica_tx")));

    assertThatThrownBy(() -> activities.bootstrapReplicas(asPlain))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.PRECONDITION);
              assertThat(f.getOriginalMessage())
                  .contains("pg_hba.conf")
                  .contains("host replication plain")
                  .doesNotContain(PASSWORD);
            });
    assertThat(Path.of(tx.dataDir())).doesNotExist();
    activities.removeReplicas(asPlain);
    assertThat(query(primary(), "select count(*) from pg_replication_slots")).isEqualTo("0");
  }

  interface Attempt<T> {
    T run() throws Exception;
  }

  /** Retries as Temporal would: a standby needs a moment to connect after it starts. */
  private static <T> T eventually(Attempt<T> attempt) throws Exception {
    Exception last = null;
    for (int i = 0; i < 150; i++) {
      try {
        return attempt.run();
      } catch (Exception e) {
        last = e;
        Thread.sleep(200);
      }
    }
    throw last;
  }

  private static String query(PostgresTarget t, String sql) throws Exception {
    try (Connection c = connect(t);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getString(1);
    }
  }

  private static void sql(PostgresTarget t, String sql) throws Exception {
    try (Connection c = connect(t);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static Connection connect(PostgresTarget t) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", t.user());
    p.setProperty("password", PASSWORD);
    p.setProperty("sslmode", "disable");
    return DriverManager.getConnection(
        "jdbc:postgresql://" + t.host() + ":" + t.port() + "/" + t.database(), p);
  }

  private void pgCtl(Path data, String action) throws Exception {
    asPostgres(
        BIN.resolve("pg_ctl").toString(),
        "-D",
        data.toString(),
        "-l",
        dir.resolve("primary.log").toString(),
        "-w",
        action);
  }

  private static List<String> runAs(String... command) {
    List<String> full = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      full.addAll(List.of("runuser", "-u", OS_USER, "--"));
    }
    full.addAll(List.of(command));
    return full;
  }

  private static void asPostgres(String... command) throws Exception {
    exec(runAs(command).toArray(String[]::new));
  }

  private static void appendAsPostgres(Path file, String text) throws IOException {
    Files.writeString(file, text, java.nio.file.StandardOpenOption.APPEND);
  }

  private static void chown(Path path) throws Exception {
    if ("root".equals(System.getProperty("user.name"))) {
      exec("chown", OS_USER, path.toString());
    }
  }

  private static String exec(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
    return out.strip();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
