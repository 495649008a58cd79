package io.ferry.activities.transition;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.ssh.SshFileTrees;
import io.ferry.activities.ssh.SshHostFiles;
import io.ferry.activities.ssh.SshSessions;
import io.ferry.activities.ssh.TestSshServer;
import io.ferry.contract.TransitionActivities.CodeSync;
import io.ferry.contract.TransitionActivities.SyncReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code sync through the worker against a real SSH server, on real files: the source and the
 * target are two directories the server's shell reaches (the same host; the sync does not know).
 */
class CodeSyncOverSshTest {

  @TempDir Path dir;
  private TestSshServer server;
  private SshSessions ssh;
  private CodeSyncer syncer;
  private Path source;
  private Path target;

  @BeforeEach
  void start() throws Exception {
    server = new TestSshServer(dir.resolve("server"), true);
    ssh = new SshSessions(server.secrets());
    syncer = new CodeSyncer(new SshFileTrees(ssh), new SshHostFiles(ssh));
    source = dir.resolve("checkout");
    target = dir.resolve("opt/app");
    write(source.resolve("core/api/main.py"), "app = 1\n");
    write(source.resolve("requirements/base.txt"), "fastapi==0.115.0\n");
    write(source.resolve("run.sh"), "#!/bin/sh\necho run\n");
    Files.setPosixFilePermissions(
        source.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    write(source.resolve("venv/bin/python"), "not copied\n");
    write(source.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    write(source.resolve("node_modules/x.js"), "not copied either\n");
  }

  @AfterEach
  void stop() throws Exception {
    ssh.close();
    server.close();
  }

  @Test
  void firstSync_copiesTheTreeWithoutExcludes_andTheSecondCopiesNothing() throws Exception {
    SyncReport first = syncer.sync(sync());

    assertThat(first.files()).isEqualTo(3);
    assertThat(first.copiedFiles()).isEqualTo(3);
    assertThat(Files.readString(target.resolve("core/api/main.py"))).isEqualTo("app = 1\n");
    assertThat(Files.isExecutable(target.resolve("run.sh"))).isTrue();
    assertThat(target.resolve("venv")).doesNotExist();
    assertThat(target.resolve(".git")).doesNotExist();
    assertThat(target.resolve("node_modules")).doesNotExist();

    SyncReport second = syncer.sync(sync());

    assertThat(second.copiedFiles()).isZero();
    assertThat(second.copiedBytes()).isZero();
    assertThat(second.digest()).isEqualTo(first.digest());
  }

  @Test
  void fileChangedBetweenRuns_isCopiedAgain_alone() throws Exception {
    SyncReport first = syncer.sync(sync());
    write(source.resolve("core/api/main.py"), "app = 2  # changed\n");

    SyncReport second = syncer.sync(sync());

    assertThat(second.copiedFiles()).isEqualTo(1);
    assertThat(second.copiedBytes()).isEqualTo("app = 2  # changed\n".length());
    assertThat(second.digest()).isNotEqualTo(first.digest());
    assertThat(Files.readString(target.resolve("core/api/main.py")))
        .isEqualTo("app = 2  # changed\n");
  }

  @Test
  void aCheckoutOfManyFiles_isCopiedInOneStreamPerBatch_notOneCommandPerFile() throws Exception {
    // the lab found one SSH command per file on each side: ~1 s a file on a loaded machine
    for (int i = 0; i < 300; i++) {
      write(source.resolve("data/-odd name " + i + ".txt"), "line " + i + "\n");
    }
    Files.setPosixFilePermissions(
        source.resolve("data/-odd name 7.txt"), PosixFilePermissions.fromString("rw-r-----"));
    int before = server.commandsRun();

    SyncReport report = syncer.sync(sync());

    assertThat(report.copiedFiles()).isEqualTo(303);
    assertThat(server.commandsRun() - before).isLessThan(12);
    assertThat(Files.readString(target.resolve("data/-odd name 299.txt"))).isEqualTo("line 299\n");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(target.resolve("data/-odd name 7.txt"))))
        .isEqualTo("rw-r-----");
    assertThat(Files.isExecutable(target.resolve("run.sh"))).isTrue();
    assertThat(syncer.sync(sync()).copiedFiles()).isZero();
  }

  @Test
  void undo_removesWhatTheSyncAdded_andKeepsWhatWasThereBefore() throws Exception {
    write(target.resolve(".env"), "KEEP=1\n");
    syncer.sync(sync());
    syncer.sync(sync()); // a retry must not take the first attempt's files for the target's own

    syncer.undo(sync());

    try (Stream<Path> left = Files.walk(target)) {
      assertThat(left.filter(Files::isRegularFile).map(p -> target.relativize(p).toString()))
          .containsExactly(".env");
    }
    syncer.undo(sync()); // nothing left to undo: a no-op
    assertThat(Files.readString(target.resolve(".env"))).isEqualTo("KEEP=1\n");
  }

  @Test
  void undo_ofASyncIntoANewDirectory_removesTheDirectory() throws Exception {
    syncer.sync(sync());

    syncer.undo(sync());

    assertThat(target).doesNotExist();
  }

  private CodeSync sync() {
    return new CodeSync(
        server.target(),
        source.toString(),
        server.target(),
        target.toString(),
        List.of("venv", ".git", "node_modules"),
        "do-transition-test:sync-code-" + dir.getFileName());
  }

  private static void write(Path file, String content) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
