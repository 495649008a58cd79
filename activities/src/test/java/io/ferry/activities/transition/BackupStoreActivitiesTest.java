package io.ferry.activities.transition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.activities.SecretResolver;
import io.ferry.activities.objectstore.S3ObjectStore;
import io.ferry.activities.objectstore.S3Server;
import io.ferry.activities.postgres.PgDumpOverSsh;
import io.ferry.activities.ssh.SshFileTrees;
import io.ferry.activities.ssh.SshSessions;
import io.ferry.activities.ssh.TestSshServer;
import io.ferry.contract.BackupStoreActivities.BackupUpload;
import io.ferry.contract.BackupStoreActivities.DatabaseBackup;
import io.ferry.contract.BackupStoreActivities.StoredBackup;
import io.ferry.contract.TransitionActivities.ObjectStore;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SecretRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * weaviate-first's backups into a real S3 server (S3Proxy): the worker's memory backup as it is,
 * and a {@code pg_dump} made over the in-process SSH server (a fake that checks its arguments and
 * password file), copied to the worker, then stored. A retry uploads nothing.
 */
class BackupStoreActivitiesTest {

  @TempDir Path dir;
  private TestSshServer ssh;
  private SshSessions sessions;
  private S3Server s3;
  private BackupStoreActivitiesImpl backups;

  @BeforeEach
  void start() throws Exception {
    ssh = new TestSshServer(dir.resolve("ssh"), true);
    s3 = new S3Server(Files.createDirectories(dir.resolve("s3")), "orchestra-backups");
    SecretResolver secrets =
        SecretResolver.withEnvironment(
            Map.of(
                    "SPACES_KEY", S3Server.ACCESS,
                    "SPACES_SECRET", S3Server.SECRET,
                    "PG_PASSWORD", "dump-pass")
                ::get);
    sessions = new SshSessions(ssh.secrets());
    backups =
        new BackupStoreActivitiesImpl(
            new SshFileTrees(sessions), new S3ObjectStore(), new PgDumpOverSsh(sessions), secrets);
  }

  @AfterEach
  void stop() throws Exception {
    sessions.close();
    ssh.close();
    s3.close();
  }

  @Test
  void memoryBackup_isStoredOnce_andARetryFindsTheObject() throws Exception {
    byte[] content = "{\"key\":\"memory:1\"}\n{\"key\":\"memory:2\"}\n".getBytes(UTF8);
    Path file = Files.write(dir.resolve("ferry-run_backup-memory-keys.jsonl"), content);
    BackupUpload upload =
        new BackupUpload(file.toString(), sha256(content), store(), "wf/orchestra/memory.jsonl");

    StoredBackup first = backups.storeBackup(upload);
    StoredBackup retry = backups.storeBackup(upload);

    assertThat(first.uploaded()).isTrue();
    assertThat(first.object()).isEqualTo("orchestra-backups/wf/orchestra/memory.jsonl");
    assertThat(s3.stored("orchestra-backups", "wf/orchestra/memory.jsonl")).isEqualTo(content);
    assertThat(retry.uploaded()).isFalse();
    assertThat(retry.bytes()).isEqualTo(content.length);
  }

  @Test
  void backupThatChangedSinceItWasWritten_isNotStoredUnderItsOldChecksum() throws Exception {
    Path file = Files.writeString(dir.resolve("memory.jsonl"), "changed\n");

    assertThatThrownBy(
            () ->
                backups.storeBackup(
                    new BackupUpload(
                        file.toString(), sha256("original\n".getBytes(UTF8)), store(), "m.jsonl")))
        .hasMessageContaining("SHA-256");
    assertThat(backupsStored()).isZero();
  }

  private long backupsStored() throws Exception {
    try (var files = Files.walk(dir.resolve("s3/orchestra-backups"))) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void databaseDump_isKeptOnTheHostAndTheWorker_andStoredOnce() throws Exception {
    // pg_dump as the app node has it: checks its arguments and the password file it is given
    ssh.fakeCommand(
        "pg_dump",
        "[ \"$1\" = --format=custom ] && [ \"$2\" = --no-password ] && [ \"$3\" = --host ]"
            + " && [ \"$4\" = 10.120.0.5 ] && [ \"$7\" = --username ] && [ \"$8\" = orchestra ]"
            + " && [ \"$9\" = --dbname ] && [ \"${10}\" = orchestra ] && [ \"${11}\" = --file ]"
            + " || { echo \"pg_dump: bad arguments: $*\" >&2; exit 2; }\n"
            + "grep -qxF '*:*:*:*:dump-pass' \"$PGPASSFILE\""
            + " || { echo 'pg_dump: password authentication failed' >&2; exit 1; }\n"
            + "printf 'PGDMP custom-format dump of %s\\n' \"${10}\" > \"${12}\"\n");
    PostgresTarget database =
        new PostgresTarget(
            "10.120.0.5",
            5432,
            "orchestra",
            "orchestra",
            SecretRef.of("env:PG_PASSWORD"),
            "require");
    DatabaseBackup request =
        new DatabaseBackup(
            ssh.target(),
            database,
            dir.resolve("app-node/backups").toString(),
            dir.resolve("worker/backups").toString(),
            store(),
            "weaviate-first/orchestra/",
            "weaviate-first-orchestra:backup-database");

    StoredBackup first = backups.backupDatabase(request);
    StoredBackup retry = backups.backupDatabase(request);

    Path onHost = dir.resolve("app-node/backups/weaviate-first-orchestra_backup-database.dump");
    byte[] dump = Files.readAllBytes(onHost);
    assertThat(new String(dump, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("PGDMP");
    assertThat(Files.readAllBytes(Path.of(first.localPath()))).isEqualTo(dump);
    assertThat(first.object())
        .isEqualTo(
            "orchestra-backups/weaviate-first/orchestra/weaviate-first-orchestra_backup-database.dump");
    assertThat(
            s3.stored(
                "orchestra-backups",
                "weaviate-first/orchestra/weaviate-first-orchestra_backup-database.dump"))
        .isEqualTo(dump);
    assertThat(first.sha256()).isEqualTo(sha256(dump));
    assertThat(first.uploaded()).isTrue();
    assertThat(retry.uploaded()).isFalse();
    assertThat(ssh.commands()).noneMatch(c -> c.contains("dump-pass"));
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private ObjectStore store() {
    return new ObjectStore(
        s3.endpoint(),
        "us-east-1",
        "orchestra-backups",
        SecretRef.of("env:SPACES_KEY"),
        SecretRef.of("env:SPACES_SECRET"));
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
