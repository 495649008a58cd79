package io.ferry.activities.ssh;

import static io.ferry.activities.ssh.Shell.quote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SshSwarm} against a real SSH server with a fake {@code docker} that accepts only {@code
 * stack ls --format {{.Name}}} and {@code stack rm NAME}, keeping the stacks in a file.
 */
class SshSwarmTest {

  @TempDir Path dir;
  private TestSshServer server;
  private SshSessions ssh;
  private SshSwarm swarm;
  private Path stacks;

  @BeforeEach
  void start() throws Exception {
    server = new TestSshServer(dir, true);
    ssh = new SshSessions(server.secrets());
    swarm = new SshSwarm(ssh);
    stacks = dir.resolve("stacks");
    Files.writeString(stacks, "sophia\nsophia-mcp\n");
    server.fakeCommand(
        "docker",
        "STACKS="
            + quote(stacks.toString())
            + "\n"
            + "if [ \"$1 $2 $3\" = 'stack ls --format' ] && [ \"$4\" = '{{.Name}}' ] && [ $# -eq 4 ];"
            + " then cat \"$STACKS\"; exit 0; fi\n"
            + "if [ \"$1 $2\" = 'stack rm' ] && [ $# -eq 3 ]; then\n"
            + "  grep -vx -- \"$3\" \"$STACKS\" > \"$STACKS.new\"; mv \"$STACKS.new\" \"$STACKS\";"
            + " echo \"Removing network $3_default\"; exit 0\n"
            + "fi\n"
            + "echo \"unexpected docker args: $*\" >&2; exit 2\n");
  }

  @AfterEach
  void stop() throws Exception {
    ssh.close();
    server.close();
  }

  @Test
  void listsTheStacks_andRemovesOneByItsExactName() throws Exception {
    assertThat(swarm.stacks(server.target())).containsExactly("sophia", "sophia-mcp");

    swarm.removeStack(server.target(), "sophia");

    assertThat(swarm.stacks(server.target())).containsExactly("sophia-mcp");
    assertThat(Files.readString(stacks)).isEqualTo("sophia-mcp\n");
  }

  @Test
  void aStackNameLikeAnOption_isRefusedBeforeAnythingRuns() {
    int before = server.commandsRun();

    assertThatThrownBy(() -> swarm.removeStack(server.target(), "--all"))
        .hasMessageContaining("stack must not start with '-'");
    assertThat(server.commandsRun()).isEqualTo(before);
  }

  @Test
  void aHostWithoutDocker_isNamedAsNotASwarmManager() throws Exception {
    try (TestSshServer bare = new TestSshServer(dir.resolve("bare"), false);
        SshSessions bareSsh = new SshSessions(bare.secrets())) {
      Files.createSymbolicLink(bare.bin().resolve("sh"), Path.of("/bin/sh")); // and nothing else

      assertThatThrownBy(() -> new SshSwarm(bareSsh).stacks(bare.target()))
          .hasMessageContaining("docker is not installed on")
          .hasMessageContaining("it must be a Swarm manager");
    }
  }
}
