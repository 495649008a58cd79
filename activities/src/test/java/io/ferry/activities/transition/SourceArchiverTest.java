package io.ferry.activities.transition;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.SecretResolver;
import io.ferry.activities.objectstore.S3ObjectStore;
import io.ferry.activities.objectstore.S3Server;
import io.ferry.activities.port.ObjectStorePort;
import io.ferry.activities.ssh.SshFileTrees;
import io.ferry.activities.ssh.SshSessions;
import io.ferry.activities.ssh.TestSshServer;
import io.ferry.contract.TransitionActivities.ArchiveReport;
import io.ferry.contract.TransitionActivities.ArchiveRequest;
import io.ferry.contract.TransitionActivities.ObjectStore;
import io.ferry.plan.SecretRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source's archive end to end: tar on the "source" over the in-process SSH server, the worker's
 * copy, the upload to a real S3 server; a retry finds everything and uploads nothing.
 */
class SourceArchiverTest {

  @TempDir Path dir;
  private TestSshServer ssh;
  private SshSessions sessions;
  private S3Server s3;
  private final AtomicInteger uploads = new AtomicInteger();
  private SourceArchiver archiver;

  @BeforeEach
  void start() throws Exception {
    ssh = new TestSshServer(dir.resolve("ssh"), true);
    sessions = new SshSessions(ssh.secrets());
    s3 = new S3Server(Files.createDirectories(dir.resolve("s3")), "cherry-archives");
    S3ObjectStore real = new S3ObjectStore();
    ObjectStorePort counting =
        new ObjectStorePort() {
          @Override
          public Optional<StoredObject> head(Bucket bucket, String key) {
            return real.head(bucket, key);
          }

          @Override
          public StoredObject upload(
              Bucket bucket, String key, String localPath, String sha256, long partBytes) {
            uploads.incrementAndGet();
            return real.upload(bucket, key, localPath, sha256, partBytes);
          }
        };
    SecretResolver secrets =
        SecretResolver.withEnvironment(
            Map.of("SPACES_KEY", S3Server.ACCESS, "SPACES_SECRET", S3Server.SECRET)::get);
    archiver = new SourceArchiver(new SshFileTrees(sessions), counting, secrets);
    Path checkout = dir.resolve("home/dev/app");
    Files.createDirectories(checkout.resolve("core"));
    Files.createDirectories(checkout.resolve("venv/bin"));
    Files.writeString(checkout.resolve("core/main.py"), "app = 1\n");
    Files.writeString(checkout.resolve("venv/bin/python"), "left out\n");
  }

  @AfterEach
  void stop() throws Exception {
    sessions.close();
    ssh.close();
    s3.close();
  }

  @Test
  void archive_isMadeKeptAndUploadedOnce_andARetryUploadsNothing() throws Exception {
    ArchiveReport first = archiver.archive(request());

    Path local = Path.of(first.localPath());
    assertThat(local).exists();
    assertThat(sha256(Files.readAllBytes(local))).isEqualTo(first.sha256());
    assertThat(sha256(s3.stored("cherry-archives", "dev/app_final.tar.gz")))
        .isEqualTo(first.sha256());
    Process list = new ProcessBuilder("tar", "-tzf", local.toString()).start();
    String entries = new String(list.getInputStream().readAllBytes());
    assertThat(entries).contains("app/core/main.py").doesNotContain("venv");

    ArchiveReport retry = archiver.archive(request());

    assertThat(uploads).hasValue(1);
    assertThat(retry.sha256()).isEqualTo(first.sha256());
    assertThat(retry.bytes()).isEqualTo(first.bytes());
  }

  @Test
  void workerCopyLeftUnfinished_isContinued_andABadOneIsCopiedAfreshOnRetry() throws Exception {
    ArchiveReport made = archiver.archive(request());
    Path local = Path.of(made.localPath());
    byte[] archive = Files.readAllBytes(local);
    Path partial = local.resolveSibling(local.getFileName() + ".part");

    Files.delete(local);
    Files.write(partial, java.util.Arrays.copyOf(archive, archive.length / 2));
    assertThat(archiver.archive(request()).localPath()).isEqualTo(local.toString());
    assertThat(Files.readAllBytes(local)).isEqualTo(archive);
    assertThat(partial).doesNotExist();

    // a partial copy of other bytes: continuing it gives a copy whose SHA-256 differs
    byte[] other = java.util.Arrays.copyOf(archive, archive.length / 2);
    other[0] ^= 1;
    Files.delete(local);
    Files.write(partial, other);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> archiver.archive(request()))
        .hasMessageContaining("the worker's copy of");
    assertThat(local).doesNotExist();
    assertThat(archiver.archive(request()).sha256()).isEqualTo(made.sha256());
    assertThat(Files.readAllBytes(local)).isEqualTo(archive);
  }

  private ArchiveRequest request() {
    return new ArchiveRequest(
        ssh.target(),
        dir.resolve("home/dev/app").toString(),
        List.of("venv", ".git"),
        dir.resolve("source-tmp").toString(),
        dir.resolve("worker/archives").toString(),
        new ObjectStore(
            s3.endpoint(),
            "us-east-1",
            "cherry-archives",
            SecretRef.of("env:SPACES_KEY"),
            SecretRef.of("env:SPACES_SECRET")),
        "dev/app_final.tar.gz",
        "do-transition-test:archive-source");
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
