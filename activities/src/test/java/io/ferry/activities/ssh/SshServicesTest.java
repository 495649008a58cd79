package io.ferry.activities.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SshServices} against a real SSH server with a fake {@code systemctl}. */
class SshServicesTest {

  /** Text that would create {@link #PWNED} and delete things if any shell expanded it. */
  private static final String HOSTILE = "a'$(touch /tmp/ferry-pwned)'; rm -rf \"$HOME/x\" `id` b";

  private static final Path PWNED = Path.of("/tmp/ferry-pwned");

  @TempDir Path dir;
  private TestSshServer server;
  private SshSessions ssh;
  private SshServices services;

  @BeforeEach
  void start() throws Exception {
    Files.deleteIfExists(PWNED);
    server = new TestSshServer(dir);
    ssh = new SshSessions(server.secrets());
    services = new SshServices(ssh);
  }

  @AfterEach
  void stop() throws Exception {
    ssh.close();
    server.close();
  }

  @Test
  void hostileUnitName_isRefusedBeforeAnyCommand() {
    assertThatThrownBy(() -> services.restartService(server.target(), HOSTILE))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureTypes.INVALID_INPUT));
    assertThat(server.commandsRun()).isZero();
    assertThat(PWNED).doesNotExist();
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

    services.restartService(server.target(), "orchestra-api");

    assertThat(Files.readAllLines(log)).containsExactly("restart", "orchestra-api");
    assertThatThrownBy(() -> services.restartService(server.target(), "missing@x.service"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.NOT_FOUND);
              assertThat(f.getOriginalMessage()).contains("missing@x.service");
            });
  }
}
