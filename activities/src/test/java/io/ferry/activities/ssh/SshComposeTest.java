package io.ferry.activities.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SshCompose} against a real SSH server with a fake {@code docker}. */
class SshComposeTest {

  /** Text that would create {@link #PWNED} and delete things if any shell expanded it. */
  private static final String HOSTILE = "a'$(touch /tmp/ferry-pwned)'; rm -rf \"$HOME/x\" `id` b";

  private static final Path PWNED = Path.of("/tmp/ferry-pwned");

  @TempDir Path dir;
  private TestSshServer server;
  private SshSessions ssh;
  private SshCompose compose;

  @BeforeEach
  void start() throws Exception {
    Files.deleteIfExists(PWNED);
    server = new TestSshServer(dir);
    ssh = new SshSessions(server.secrets());
    compose = new SshCompose(ssh);
  }

  @AfterEach
  void stop() throws Exception {
    ssh.close();
    server.close();
  }

  @Test
  void hostileProjectName_isRefusedBeforeAnyCommand() {
    assertThatThrownBy(() -> compose.composeUp(server.target(), "/opt/x", HOSTILE))
        .isInstanceOf(ApplicationFailure.class);
    assertThat(server.commandsRun()).isZero();
    assertThat(PWNED).doesNotExist();
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

    assertThat(compose.composeServices(server.target(), project.toString(), "weaviate")).isEmpty();
    assertThat(compose.composeUp(server.target(), project.toString(), "weaviate"))
        .containsExactly("t2v", "weaviate");
    assertThat(compose.composeServices(server.target(), project.toString(), "weaviate"))
        .contains(List.of("t2v", "weaviate"));
    compose.composeDown(server.target(), project.toString(), "weaviate");
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
    assertThatThrownBy(() -> compose.composeUp(server.target(), dir.toString(), "weaviate"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureTypes.NOT_FOUND));
  }

  @Test
  void composePs_oldArrayFormat_isParsedToo() {
    assertThat(
            SshCompose.runningServices(
                "[{\"Service\":\"b\",\"State\":\"running\"},{\"Service\":\"a\",\"State\":\"running\"}]"))
        .containsExactly("a", "b");
    assertThat(SshCompose.runningServices("")).isEmpty();
  }
}
