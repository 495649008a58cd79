package io.ferry.activities.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshSessionsTest {

  @TempDir Path dir;
  private TestSshServer server;
  private SshSessions ssh;

  @BeforeEach
  void start() throws Exception {
    server = new TestSshServer(dir);
    ssh = new SshSessions(server.secrets());
  }

  @AfterEach
  void stop() throws Exception {
    ssh.close();
    server.close();
  }

  @Test
  void exec_returnsExitStatusStdoutAndStderr() {
    ExecResult result =
        ssh.exec(server.target(), ExecRequest.of("echo out; echo 'über' >&2; exit 7"));

    assertThat(result.exitStatus()).isEqualTo(7);
    assertThat(result.stdout()).isEqualTo("out\n");
    assertThat(result.stderr()).isEqualTo("über\n");
    assertThat(result.lastErrorLine()).isEqualTo("über");
  }

  @Test
  void exec_feedsStdinAndEndsIt() {
    ExecResult result =
        ssh.exec(
            server.target(),
            ExecRequest.of("read -r secret; echo \"got ${#secret} chars\"; cat | wc -l")
                .withStdin("s3cr3t\nline2\nline3\n"));

    assertThat(result.stdout()).isEqualTo("got 6 chars\n2\n");
  }

  @Test
  void execOrFail_nonZeroExit_namesWhatFailedAndStderr() {
    assertThatThrownBy(
            () ->
                ssh.execOrFail(
                    server.target(), "the probe", ExecRequest.of("echo nope >&2; false")))
        .hasMessageContaining("the probe on 127.0.0.1 failed (exit 1): nope");
  }

  @Test
  void exec_longCommand_reportsProgressWithItsLastLine() {
    List<String> lines = new ArrayList<>();
    ssh.exec(
        server.target(),
        ExecRequest.of("echo step-1; sleep 1.5; echo step-2; sleep 1.5")
            .withProgress((elapsed, line) -> lines.add(line)));

    assertThat(lines).contains("step-1", "step-2");
  }

  @Test
  void exec_pastItsTimeout_isKilledAndFails() {
    long started = System.nanoTime();
    assertThatThrownBy(
            () ->
                ssh.exec(
                    server.target(),
                    ExecRequest.of("sleep 30").withTimeout(Duration.ofMillis(700))))
        .isInstanceOf(SshTimeoutException.class)
        .hasMessageContaining("still running after");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void sftp_uploadThenDownload_keepsBytesAndMode() throws Exception {
    Path remote = dir.resolve("up.bin");
    byte[] bytes = new byte[300_000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31);
    }

    ssh.upload(server.target(), remote.toString(), new ByteArrayInputStream(bytes), 0600);

    assertThat(Files.readAllBytes(remote)).isEqualTo(bytes);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(remote)))
        .isEqualTo("rw-------");
    assertThat(ssh.download(server.target(), remote.toString())).hasValue(bytes);
    assertThat(ssh.download(server.target(), dir.resolve("missing").toString())).isEmpty();
  }

  @Test
  void knownHostsListingTheKey_connects() throws Exception {
    SshTarget target =
        new SshTarget(
            "127.0.0.1",
            server.port(),
            System.getProperty("user.name"),
            SecretRef.of("env:CLIENT_KEY"),
            server.knownHosts().toString(),
            null,
            null,
            false);

    assertThat(ssh.exec(target, ExecRequest.of("echo hi")).stdout()).isEqualTo("hi\n");
  }

  @Test
  void knownHostsWithAnotherKey_isRefusedAsMismatchAndNothingRuns() throws Exception {
    Path knownHosts = dir.resolve("other_known_hosts");
    Files.writeString(
        knownHosts,
        "[127.0.0.1]:"
            + server.port()
            + " "
            + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(
                TestSshServer.ecKey().getPublic())
            + "\n");
    SshTarget target =
        new SshTarget(
            "127.0.0.1",
            server.port(),
            System.getProperty("user.name"),
            SecretRef.of("env:CLIENT_KEY"),
            knownHosts.toString(),
            null,
            null,
            false);

    assertThatThrownBy(() -> ssh.exec(target, ExecRequest.of("touch " + dir.resolve("ran"))))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.HOST_KEY_MISMATCH);
              assertThat(f.isNonRetryable()).isTrue();
            });
    assertThat(server.commandsRun()).isZero();
    assertThat(dir.resolve("ran")).doesNotExist();
    assertThat(Files.readString(knownHosts)).hasLineCount(1); // never added to
  }

  @Test
  void pinnedFingerprint_matchesAsSshKeygenPrintsIt() {
    assertThat(
            ssh.exec(server.byFingerprint(server.fingerprint()), ExecRequest.of("echo ok"))
                .stdout())
        .isEqualTo("ok\n");
  }

  @Test
  void pinnedFingerprintOfAnotherKey_isRefusedAsMismatchAndNothingRuns() {
    String wrong = "SHA256:" + "A".repeat(43);

    assertThatThrownBy(
            () ->
                ssh.exec(
                    server.byFingerprint(wrong), ExecRequest.of("touch " + dir.resolve("ran"))))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.HOST_KEY_MISMATCH);
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage())
                  .contains(server.fingerprint())
                  .contains(wrong)
                  .contains("nothing was run");
            });
    assertThat(server.commandsRun()).isZero();
    assertThat(dir.resolve("ran")).doesNotExist();
  }

  @Test
  void hostKeyInstalledByFerry_isPinnedFromItsPublicHalf() {
    SshTarget byHostKey =
        new SshTarget(
            "127.0.0.1",
            server.port(),
            System.getProperty("user.name"),
            SecretRef.of("env:CLIENT_KEY"),
            null,
            null,
            SecretRef.of("env:HOST_PRIVATE_KEY"),
            false);
    SshTarget byOtherKey =
        new SshTarget(
            "127.0.0.1",
            server.port(),
            System.getProperty("user.name"),
            SecretRef.of("env:CLIENT_KEY"),
            null,
            null,
            SecretRef.of("env:OTHER_KEY"),
            false);

    assertThat(ssh.exec(byHostKey, ExecRequest.of("echo ok")).stdout()).isEqualTo("ok\n");
    assertThatThrownBy(() -> ssh.exec(byOtherKey, ExecRequest.of("echo ok")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureTypes.HOST_KEY_MISMATCH));
    assertThat(server.commandsRun()).isEqualTo(1);
  }

  @Test
  void clientKeyTheServerDoesNotKnow_failsAsAuthenticationWithoutRetry() {
    SshTarget target =
        new SshTarget(
            "127.0.0.1",
            server.port(),
            "deploy",
            SecretRef.of("env:OTHER_KEY"),
            null,
            server.fingerprint(),
            null,
            false);

    assertThatThrownBy(() -> ssh.exec(target, ExecRequest.of("echo ok")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.AUTH);
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage())
                  .contains("env:OTHER_KEY")
                  .doesNotContain("PRIVATE");
            });
  }

  @Test
  void droppedConnection_isReopenedOnNextUse() {
    assertThat(ssh.exec(server.target(), ExecRequest.of("echo 1")).stdout()).isEqualTo("1\n");

    server.dropConnections();

    assertThat(ssh.exec(server.target(), ExecRequest.of("echo 2")).stdout()).isEqualTo("2\n");
  }

  @Test
  void sudoTarget_runsThroughSudoNonInteractive() throws Exception {
    Path log = dir.resolve("sudo.log");
    server.fakeCommand(
        "sudo",
        "printf '%s\\n' \"$@\" > "
            + Shell.quote(log.toString())
            + "\n"
            + "[ \"$1\" = -n ] || exit 1\nshift\nexec \"$@\"\n");
    SshTarget sudo = server.target();
    sudo =
        new SshTarget(
            sudo.host(),
            sudo.port(),
            sudo.user(),
            sudo.privateKey(),
            null,
            sudo.fingerprint(),
            null,
            true);

    ExecResult result = ssh.exec(sudo, ExecRequest.of("echo \"as $0\""));

    assertThat(result.stdout()).as(result.stderr()).isEqualTo("as sh\n");
    assertThat(Files.readAllLines(log, StandardCharsets.UTF_8))
        .containsExactly("-n", "sh", "-c", "echo \"as $0\"");
  }
}
