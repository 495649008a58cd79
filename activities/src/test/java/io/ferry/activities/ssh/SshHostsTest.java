package io.ferry.activities.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.activities.port.HostPort.HostFile;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshHostsTest {

  /** Text that would create {@link #PWNED} and delete things if any shell expanded it. */
  private static final String HOSTILE = "a'$(touch /tmp/ferry-pwned)'; rm -rf \"$HOME/x\" `id` b";

  private static final Path PWNED = Path.of("/tmp/ferry-pwned");

  @TempDir Path dir;
  private TestSshServer server;
  private SshSessions ssh;
  private SshHosts hosts;

  @BeforeEach
  void start() throws Exception {
    Files.deleteIfExists(PWNED);
    server = new TestSshServer(dir);
    ssh = new SshSessions(server.secrets());
    hosts = new SshHosts(ssh);
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

    hosts.writeFile(server.target(), file.toString(), content, "0600");

    assertThat(Files.readString(file)).isEqualTo(content);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(hosts.readFile(server.target(), file.toString()))
        .contains(new HostFile(content, "0600"));
  }

  @Test
  void writeFile_replacesByRenameAndLeavesNoTemporaryFile() throws Exception {
    Path file = dir.resolve("app.env");
    hosts.writeFile(server.target(), file.toString(), "old\n", "0644");
    Object before = Files.getAttribute(file, "unix:ino");

    hosts.writeFile(server.target(), file.toString(), "new\n", "0640");

    assertThat(Files.readString(file)).isEqualTo("new\n");
    assertThat(Files.getAttribute(file, "unix:ino")).isNotEqualTo(before); // a new file, renamed
    assertThat(hosts.readFile(server.target(), file.toString()).orElseThrow().mode())
        .isEqualTo("0640");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".ferry-"));
    }
  }

  @Test
  void readFile_missingFile_isEmpty_andRemoveFileSaysWhetherItWasThere() throws Exception {
    Path file = dir.resolve("gone.txt");
    assertThat(hosts.readFile(server.target(), file.toString())).isEmpty();
    assertThat(hosts.removeFile(server.target(), file.toString())).isFalse();

    Files.writeString(file, "x");
    assertThat(hosts.removeFile(server.target(), file.toString())).isTrue();
    assertThat(file).doesNotExist();
  }

  @Test
  void hostileValues_areNeverExecuted() throws Exception {
    Path sub = dir.resolve(HOSTILE);
    String path = sub.resolve(HOSTILE + ".env").toString();
    String content = "SETTING=" + HOSTILE + "\n";

    hosts.writeFile(server.target(), path, content, "0600");
    assertThat(hosts.readFile(server.target(), path)).contains(new HostFile(content, "0600"));
    assertThat(Files.readString(Path.of(path))).isEqualTo(content);
    assertThat(hosts.removeFile(server.target(), path)).isTrue();
    assertThat(Path.of(path)).doesNotExist();
    assertThat(server.commandsRun()).isEqualTo(3);

    assertThatThrownBy(() -> hosts.restartService(server.target(), HOSTILE))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureTypes.INVALID_INPUT));
    assertThatThrownBy(() -> hosts.composeUp(server.target(), "/opt/x", HOSTILE))
        .isInstanceOf(ApplicationFailure.class);

    assertThat(PWNED).doesNotExist();
    assertThat(sub).isDirectory(); // the directory was created with exactly that name
  }

  @Test
  void restartService_runsSystemctlRestart_andAnUnknownUnitIsNotFound() throws Exception {
    Path log = dir.resolve("systemctl.log");
    server.fakeCommand(
        "systemctl",
        "printf '%s\\n' \"$@\" >> "
            + Shell.quote(log.toString())
            + "\n"
            + "if [ \"$2\" != orchestra-api ]; then echo \"Failed to restart $2.service: Unit $2.service"
            + " not found.\" >&2; exit 5; fi\n");

    hosts.restartService(server.target(), "orchestra-api");

    assertThat(Files.readAllLines(log)).containsExactly("restart", "orchestra-api");
    assertThatThrownBy(() -> hosts.restartService(server.target(), "missing@x.service"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.NOT_FOUND);
              assertThat(f.getOriginalMessage()).contains("missing@x.service");
            });
  }

  @Test
  void compose_upListsRunningServices_psParsesBothFormats_downStopsThem() throws Exception {
    Path log = dir.resolve("docker.log");
    Path state = dir.resolve("docker.state");
    // a fake docker: records its argv, and keeps "up" in a state file
    server.fakeCommand(
        "docker",
        "printf '%s|' \"$@\" >> "
            + Shell.quote(log.toString())
            + "\necho >> "
            + Shell.quote(log.toString())
            + "\nfor last; do :; done\n"
            + "case \"$*\" in\n"
            + "  *' up -d --remove-orphans') touch "
            + Shell.quote(state.toString())
            + " ;;\n"
            + "  *' down --remove-orphans') rm -f "
            + Shell.quote(state.toString())
            + " ;;\n"
            + "  *' ps --format json') if [ -f "
            + Shell.quote(state.toString())
            + " ]; then\n"
            + "    echo '{\"Service\":\"weaviate\",\"State\":\"running\",\"Name\":\"w-1\"}'\n"
            + "    echo '{\"Service\":\"backup\",\"State\":\"exited\",\"Name\":\"w-2\"}'\n"
            + "    echo '{\"Service\":\"t2v\",\"State\":\"running\",\"Name\":\"w-3\"}'\n"
            + "  fi ;;\n"
            + "  *) echo \"unexpected: $*\" >&2; exit 2 ;;\n"
            + "esac\n");
    Path project = Files.createDirectories(dir.resolve("opt/weaviate dir"));
    Files.writeString(project.resolve("compose.yaml"), "services: {}\n");
    String file = project.resolve("compose.yaml").toString();

    assertThat(hosts.composeServices(server.target(), project.toString(), "weaviate")).isEmpty();
    assertThat(hosts.composeUp(server.target(), project.toString(), "weaviate"))
        .containsExactly("t2v", "weaviate");
    assertThat(hosts.composeServices(server.target(), project.toString(), "weaviate"))
        .contains(List.of("t2v", "weaviate"));
    hosts.composeDown(server.target(), project.toString(), "weaviate");
    assertThat(state).doesNotExist();

    assertThat(Files.readAllLines(log))
        .containsExactly(
            "compose|-p|weaviate|-f|" + file + "|ps|--format|json|",
            "compose|-p|weaviate|-f|" + file + "|up|-d|--remove-orphans|",
            "compose|-p|weaviate|-f|" + file + "|ps|--format|json|",
            "compose|-p|weaviate|-f|" + file + "|ps|--format|json|",
            "compose|-p|weaviate|-f|" + file + "|down|--remove-orphans|");
  }

  @Test
  void composeUp_withoutComposeFile_isNotFound() {
    assertThatThrownBy(() -> hosts.composeUp(server.target(), dir.toString(), "weaviate"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureTypes.NOT_FOUND));
  }

  @Test
  void composePs_oldArrayFormat_isParsedToo() {
    assertThat(
            SshHosts.runningServices(
                "[{\"Service\":\"b\",\"State\":\"running\"},{\"Service\":\"a\",\"State\":\"running\"}]"))
        .containsExactly("a", "b");
    assertThat(SshHosts.runningServices("")).isEmpty();
  }
}
