package io.ferry.activities.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.port.HostFilesPort.HostFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SshHostFiles} against a real SSH server. */
class SshHostFilesTest {

  /** Text that would create {@link #PWNED} and delete things if any shell expanded it. */
  private static final String HOSTILE = "a'$(touch /tmp/ferry-pwned)'; rm -rf \"$HOME/x\" `id` b";

  private static final Path PWNED = Path.of("/tmp/ferry-pwned");

  @TempDir Path dir;
  private TestSshServer server;
  private SshSessions ssh;
  private SshHostFiles files;

  @BeforeEach
  void start() throws Exception {
    Files.deleteIfExists(PWNED);
    server = new TestSshServer(dir);
    ssh = new SshSessions(server.secrets());
    files = new SshHostFiles(ssh);
  }

  @AfterEach
  void stop() throws Exception {
    ssh.close();
    server.close();
  }

  @Test
  void writeFile_createsDirectoriesAndSetsModeThenReadsBack() throws Exception {
    Path file = dir.resolve("opt/app/.env");
    String content = "A=1\nQUOTE='x'\nUNICODE=ünï\n";

    files.writeFile(server.target(), file.toString(), content, "0600");

    assertThat(Files.readString(file)).isEqualTo(content);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(files.readFile(server.target(), file.toString()))
        .contains(new HostFile(content, "0600"));
  }

  @Test
  void writeFile_replacesByRenameAndLeavesNoTemporaryFile() throws Exception {
    Path file = dir.resolve("app.env");
    files.writeFile(server.target(), file.toString(), "old\n", "0644");
    Object before = Files.getAttribute(file, "unix:ino");

    files.writeFile(server.target(), file.toString(), "new\n", "0640");

    assertThat(Files.readString(file)).isEqualTo("new\n");
    assertThat(Files.getAttribute(file, "unix:ino")).isNotEqualTo(before); // a new file, renamed
    assertThat(files.readFile(server.target(), file.toString()).orElseThrow().mode())
        .isEqualTo("0640");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".ferry-"));
    }
  }

  @Test
  void readFile_missingFile_isEmpty_andRemoveFileSaysWhetherItWasThere() throws Exception {
    Path file = dir.resolve("gone.txt");
    assertThat(files.readFile(server.target(), file.toString())).isEmpty();
    assertThat(files.removeFile(server.target(), file.toString())).isFalse();

    Files.writeString(file, "x");
    assertThat(files.removeFile(server.target(), file.toString())).isTrue();
    assertThat(file).doesNotExist();
  }

  @Test
  void hostileValues_areNeverExecuted() throws Exception {
    Path sub = dir.resolve(HOSTILE);
    String path = sub.resolve(HOSTILE + ".env").toString();
    String content = "SETTING=" + HOSTILE + "\n";

    files.writeFile(server.target(), path, content, "0600");
    assertThat(files.readFile(server.target(), path)).contains(new HostFile(content, "0600"));
    assertThat(Files.readString(Path.of(path))).isEqualTo(content);
    assertThat(sub).isDirectory(); // the directory was created with exactly that name
    assertThat(files.removeFile(server.target(), path)).isTrue();
    assertThat(Path.of(path)).doesNotExist();
    assertThat(server.commandsRun()).isEqualTo(3);

    assertThat(PWNED).doesNotExist();
    assertThat(sub).doesNotExist(); // made by the write, so removed with its last file
  }

  @Test
  void removingTheLastFileWrittenIntoMadeDirectories_removesThemButNeverOneThatWasThere()
      throws Exception {
    Path existing = Files.createDirectories(dir.resolve("opt"));
    Files.writeString(existing.resolve("keep.txt"), "an operator's file\n");
    Path made = existing.resolve("ferry/weaviate");
    String compose = made.resolve("compose.yaml").toString();
    String env = made.resolve(".env").toString();

    files.writeFile(server.target(), compose, "services: {}\n", "0644");
    files.writeFile(server.target(), env, "A=1\n", "0600");
    files.writeFile(server.target(), compose, "services: {}\n", "0644"); // a retry
    assertThat(files.removeFile(server.target(), env)).isTrue();
    assertThat(made).as("another file is still there").isDirectory();
    assertThat(files.removeFile(server.target(), compose)).isTrue();

    assertThat(existing.resolve("ferry")).as("both directories the writes made").doesNotExist();
    assertThat(existing.resolve("keep.txt")).exists();

    // a directory that was there before a write stays after its file goes
    Files.createDirectories(made);
    files.writeFile(server.target(), compose, "services: {}\n", "0644");
    assertThat(files.removeFile(server.target(), compose)).isTrue();
    assertThat(made).isDirectory().isEmptyDirectory();
  }
}
