package io.ferry.activities.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SshSystemd} and {@link SshDocker} against a real SSH server with fake {@code systemctl}
 * and {@code docker} that log their arguments and keep a little state in files.
 */
class SshSystemdAndDockerTest {

  private static final String HOSTILE = "a'$(touch /tmp/ferry-pwned)'; b";

  @TempDir Path dir;
  private TestSshServer server;
  private SshSessions ssh;
  private Path log;

  @BeforeEach
  void start() throws Exception {
    server = new TestSshServer(dir.resolve("server"));
    ssh = new SshSessions(server.secrets());
    log = dir.resolve("calls.log");
    Path state = Files.createDirectories(dir.resolve("state"));
    String q = Shell.quote(log.toString());
    String s = Shell.quote(state.toString());
    server.fakeCommand(
        "systemctl",
        "printf '%s|' \"$@\" >> "
            + q
            + "; echo >> "
            + q
            + "\n"
            + "case \"$1\" in\n"
            + "  daemon-reload) exit 0 ;;\n"
            + "  enable) [ \"$2\" = --now ] || exit 2; touch "
            + s
            + "/\"$3\"; exit 0 ;;\n"
            + "  is-active) if [ -e "
            + s
            + "/\"$2\" ]; then echo active; else echo inactive; exit 3; fi; exit 0 ;;\n"
            + "  cat) [ -e "
            + s
            + "/\"$3\" ] || exit 1; exit 0 ;;\n"
            + "  disable) [ \"$2\" = --now ] && [ \"$3\" = -- ] || exit 2; rm -f "
            + s
            + "/\"$4\"; exit 0 ;;\n"
            + "esac\nexit 2\n");
    server.fakeCommand(
        "docker",
        "printf '%s|' \"$@\" >> "
            + q
            + "; echo >> "
            + q
            + "\n"
            + "case \"$1\" in\n"
            + "  ps) echo weaviate-weaviate-1; [ -e "
            + s
            + "/c ] && cat "
            + s
            + "/c; exit 0 ;;\n"
            + "  run) echo mcp-server > "
            + s
            + "/c; echo 0123456789abcdef0123; exit 0 ;;\n"
            + "  inspect) if [ -e "
            + s
            + "/c ]; then echo 0123456789ab ghcr.io/org/mcp:1 true; else echo 'Error: No such object' >&2; exit 1; fi; exit 0 ;;\n"
            + "  rm) rm -f "
            + s
            + "/c; exit 0 ;;\n"
            + "esac\nexit 2\n");
  }

  @AfterEach
  void stop() throws Exception {
    ssh.close();
    server.close();
  }

  @Test
  void unit_isEnabledStartedSeenActive_thenDisabledOnce() throws Exception {
    SshSystemd systemd = new SshSystemd(ssh);

    systemd.daemonReload(server.target());
    systemd.enableNow(server.target(), "cherry-ai-api");

    assertThat(systemd.activeState(server.target(), "cherry-ai-api")).isEqualTo("active");
    assertThat(systemd.disableNow(server.target(), "cherry-ai-api")).isTrue();
    assertThat(systemd.activeState(server.target(), "cherry-ai-api")).isEqualTo("inactive");
    assertThat(systemd.disableNow(server.target(), "cherry-ai-api")).isFalse();
    assertThat(Files.readAllLines(log))
        .containsExactly(
            "daemon-reload|",
            "enable|--now|cherry-ai-api|",
            "is-active|cherry-ai-api|",
            "cat|--|cherry-ai-api|",
            "disable|--now|--|cherry-ai-api|",
            "is-active|cherry-ai-api|",
            "cat|--|cherry-ai-api|");
  }

  @Test
  void container_runsDetachedOnTheHostNetwork_isFound_andRemoved() throws Exception {
    SshDocker docker = new SshDocker(ssh);

    assertThat(docker.inspect(server.target(), "mcp-server")).isEmpty();
    String id =
        docker.runDetached(
            server.target(),
            "mcp-server",
            "ghcr.io/org/mcp:1",
            List.of("/opt/app/mcp_server:/app"),
            Map.of("KUBECONFIG", "/root/.kube/config"));

    assertThat(id).isEqualTo("0123456789ab");
    assertThat(docker.runningContainers(server.target()))
        .containsExactly("weaviate-weaviate-1", "mcp-server");
    assertThat(docker.inspect(server.target(), "mcp-server")).isPresent();
    assertThat(docker.remove(server.target(), "mcp-server")).isTrue();
    assertThat(docker.remove(server.target(), "mcp-server")).isFalse();
    assertThat(Files.readAllLines(log))
        .contains(
            "run|-d|--name|mcp-server|--network|host|--restart|unless-stopped|-v|"
                + "/opt/app/mcp_server:/app|-e|KUBECONFIG=/root/.kube/config|ghcr.io/org/mcp:1|");
  }

  @Test
  void hostileNames_areRefusedBeforeAnyCommand() {
    assertThatThrownBy(() -> new SshSystemd(ssh).enableNow(server.target(), HOSTILE))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureTypes.INVALID_INPUT));
    assertThatThrownBy(() -> new SshDocker(ssh).remove(server.target(), HOSTILE))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureTypes.INVALID_INPUT));
    assertThat(server.commandsRun()).isZero();
  }
}
