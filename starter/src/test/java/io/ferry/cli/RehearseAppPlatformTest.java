package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.roadmap.appplatform.AppPlatformSteps;
import io.ferry.runbook.StepDef;
import io.ferry.worker.ExitCodes;
import org.junit.jupiter.api.Test;

/** The real app-platform workflow, rehearsed on the time-skipping server and simulated fleet. */
class RehearseAppPlatformTest {

  @Test
  void rehearsal_completesEveryStep_andDestroysTheDropletLast() {
    Cli.Run run = Cli.offline().run("rehearse", "app-platform");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    for (StepDef step : AppPlatformSteps.ALL) {
      assertThat(run.out()).contains("▸ " + step.id() + " ");
    }
    assertThat(run.out())
        .contains("31 probe rounds, 0 failed (budget 3)")
        .contains("~ - droplet 412345678")
        .contains("outcome: completed")
        .doesNotContain("simulated-secret");
  }

  @Test
  void failedProductionDeploy_rollsBackToThePreviousDeployment() {
    Cli.Run run = Cli.offline().run("rehearse", "app-platform", "--fail-at", "deploy-production");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.out())
        .contains("✗ deploy-production failed")
        .contains("↶ undo deploy-production")
        .contains("cause=rollback to dep-")
        .contains("ledger is back at its starting state");
  }

  @Test
  void failedDnsCutover_restoresTheOldRecords() {
    Cli.Run run = Cli.offline().run("rehearse", "app-platform", "--fail-at", "switch-dns");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.out())
        .contains("↶ undo switch-dns")
        .contains("ledger is back at its starting state");
    assertThat(run.out().indexOf("↶ undo switch-dns"))
        .isLessThan(run.out().indexOf("↶ undo deploy-production"));
  }

  @Test
  void failingMonitorProbes_spendTheBudgetAndRollEverythingBack() {
    Cli.Run run = Cli.offline().run("rehearse", "app-platform", "--sim", "monitor-status=503");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.MIGRATION_NOT_COMPLETED);
    assertThat(run.out())
        .contains("✗ monitor failed")
        .contains("failure budget spent")
        .contains("503")
        .contains("↶ undo switch-dns")
        .contains("outcome: rolled-back");
  }
}
