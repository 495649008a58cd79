package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.worker.ExitCodes;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

/** How the controls word a refusal, and what their help says. */
class OperatorCommandsTest {

  @Test
  void refusalReason_saysRefusedOnce() {
    ApplicationFailure failure =
        ApplicationFailure.newFailure(
            "rollback refused: step burn-bridge (Burn the old bridge) is a point of no return",
            IllegalArgumentException.class.getName());

    String reason = OperatorCommands.reason(new RuntimeException("update failed", failure));

    assertThat("rollback x refused: " + reason)
        .isEqualTo(
            "rollback x refused: step burn-bridge (Burn the old bridge) is a point of no return");
  }

  @Test
  void refusalReason_keepsAMessageThatDoesNotStartWithARefusal() {
    ApplicationFailure failure =
        ApplicationFailure.newFailure("no gate 'x' is pending; pending gates: a", "T");

    assertThat(OperatorCommands.reason(failure))
        .isEqualTo("no gate 'x' is pending; pending gates: a");
  }

  @Test
  void targetedControlsHelp_describesTarget() {
    for (String command : new String[] {"approve", "reject", "complete", "retry", "skip"}) {
      Cli.Run run = Cli.offline().run(command, "--help");

      assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
      assertThat(run.out().replaceAll("\\s+", " "))
          .contains("TARGET The gate (approve, reject) or step (complete, retry, skip)")
          .contains("as `ferry status WORKFLOW_ID` shows it");
      assertThat(run.out()).contains("--wait=DURATION");
    }
  }

  @Test
  void help_listsEveryExitCodeAsItBehaves() {
    Cli.Run run = Cli.offline().run("--help");

    assertThat(run.out())
        .contains("10   FLEET_UNAVAILABLE: ferry worker --fleet real: the DigitalOcean token's")
        .doesNotContain("not built yet")
        .contains("11   NO_WORKER: the server answers but no worker polls the task queue")
        .contains("12   SERVER_NOT_SET_UP: the server does not serve the namespace");
  }
}
