package io.ferry.activities.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SshNodeHost} against a real SSH server whose {@code ss} prints what iproute2's prints for
 * {@code -Htln} (and refuses any other arguments), and whose {@code systemctl} knows one unit and
 * accepts only {@code disable --now UNIT}, recording each call.
 */
class SshNodeHostTest {

  /** IPv4, IPv6, a wildcard and a scoped address, as {@code ss -Htln} prints them. */
  private static final String LISTENING =
      "LISTEN 0      4096         0.0.0.0:8000       0.0.0.0:*          \n"
          + "LISTEN 0      511        127.0.0.1:11434      0.0.0.0:*          \n"
          + "LISTEN 0      128             [::]:22            [::]:*          \n"
          + "LISTEN 0      4096   [fe80::1]%eth0:9100            *:*          \n"
          + "LISTEN 0      128                *:*               *:*          \n";

  @TempDir Path dir;
  private TestSshServer server;
  private SshSessions ssh;
  private SshNodeHost host;
  private Path calls;

  private void start(boolean systemPath) throws Exception {
    server = new TestSshServer(dir, systemPath);
    ssh = new SshSessions(server.secrets());
    host = new SshNodeHost(ssh);
    calls = dir.resolve("calls");
    String log =
        "printf '%s %s\\n' \"$(basename \"$0\")\" \"$*\" >> " + Shell.quote(calls.toString());
    server.fakeCommand(
        "ss",
        log
            + "\n[ \"$*\" = -Htln ] || { echo \"ss: unexpected arguments: $*\" >&2; exit 2; }\n"
            + "printf '%s' "
            + Shell.quote(LISTENING)
            + "\n");
    server.fakeCommand(
        "systemctl",
        log
            + "\n[ $# -eq 3 ] && [ \"$1\" = disable ] && [ \"$2\" = --now ] ||"
            + " { echo \"systemctl: unexpected arguments: $*\" >&2; exit 2; }\n"
            + "case $3 in\n"
            + "  aurora-backend|aurora-backend.service) echo 'Removed \"/etc/systemd/system/"
            + "multi-user.target.wants/aurora-backend.service\".' >&2;;\n"
            + "  *) echo \"Failed to disable unit: Unit file $3.service does not exist.\" >&2;"
            + " exit 1;;\n"
            + "esac\n");
  }

  @AfterEach
  void stop() throws Exception {
    if (ssh != null) {
      ssh.close();
      server.close();
    }
  }

  @Test
  void listeningPorts_areEveryLocalPortSsShows_onAnyAddress() throws Exception {
    start(true);

    assertThat(host.listeningPorts(server.target())).containsExactly(22, 8000, 9100, 11434);
    assertThat(Files.readAllLines(calls)).containsExactly("ss -Htln");
  }

  @Test
  void stopService_disablesAndStopsTheUnit_andAnUnknownUnitIsNamedNotFound() throws Exception {
    start(true);

    host.stopService(server.target(), "aurora-backend");

    assertThatThrownBy(() -> host.stopService(server.target(), "ollama"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.NOT_FOUND);
              assertThat(f.getOriginalMessage()).contains("Unit ollama not found");
            });
    assertThat(Files.readAllLines(calls))
        .containsExactly(
            "systemctl disable --now aurora-backend", "systemctl disable --now ollama");
  }

  @Test
  void hostileUnitName_isRefusedBeforeAnyCommand() throws Exception {
    start(true);

    assertThatThrownBy(() -> host.stopService(server.target(), "x; rm -rf /"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureTypes.INVALID_INPUT));
    assertThat(server.commandsRun()).isZero();
  }

  @Test
  void aHostWithoutSs_saysWhatToInstall() throws Exception {
    start(false);
    Files.delete(server.bin().resolve("ss"));
    Files.createSymbolicLink(server.bin().resolve("sh"), Path.of("/bin/sh")); // and nothing else

    assertThatThrownBy(() -> host.listeningPorts(server.target()))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getOriginalMessage()).contains("apt-get install -y iproute2"));
  }
}
