package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps;
import io.ferry.runbook.StepDef;
import io.ferry.worker.ExitCodes;
import org.junit.jupiter.api.Test;

/** The real weaviate-first workflow, rehearsed on the time-skipping server and simulated fleet. */
class RehearseCommandTest {

  private static String started(StepDef step) {
    return "▸ " + step.id() + " ";
  }

  @Test
  void rehearsal_completesAndShowsEveryStepThatRuns_butNotTheMicroCache() {
    Cli.Run run = Cli.offline().run("rehearse", "weaviate-first");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    for (StepDef step : WeaviateFirstSteps.ALL) {
      if (step.conditional()) {
        assertThat(run.out()).doesNotContain(started(step));
      } else {
        assertThat(run.out()).contains(started(step));
      }
    }
    assertThat(run.out())
        .contains("approved by rehearsal (auto)")
        .contains("7d of soak: skipping to its end")
        .contains("outcome: completed")
        .contains("~ + droplet");
  }

  @Test
  void slowChat_runsTheMicroCacheSteps() {
    Cli.Run run = Cli.offline().run("rehearse", "weaviate-first", "--chat-latency", "80ms");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    for (StepDef step : WeaviateFirstSteps.ALL) {
      assertThat(run.out()).contains(started(step));
    }
  }

  @Test
  void failedDnsCutover_rollsBackAndLeavesTheLedgerAsItBegan() {
    Cli.Run run = Cli.offline().run("rehearse", "weaviate-first", "--fail-at", "switch-dns");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.out())
        .contains("✗ switch-dns failed")
        .contains("↶ undo switch-dns")
        .contains("↶ undo create-vector-droplet")
        .contains("outcome: rolled-back")
        .contains("ledger is back at its starting state");
    assertThat(run.out().indexOf("undo switch-dns"))
        .isLessThan(run.out().indexOf("undo create-vector-droplet"));
    assertThat(between(run.out(), "↶ undo create-volume", "✓ undone create-volume"))
        .contains("~ - volume vol-");
    assertThat(between(run.out(), "↶ undo create-firewall", "✓ undone create-firewall"))
        .contains("~ - firewall fw-")
        .doesNotContain("volume");
  }

  /** The lines printed under one step's heading. */
  private static String between(String out, String from, String to) {
    int start = out.indexOf(from);
    int end = out.indexOf(to, start);
    assertThat(start).as(from).isNotNegative();
    assertThat(end).as(to).isGreaterThan(start);
    return out.substring(start, end);
  }

  @Test
  void unknownFailAtStep_isAUsageErrorListingTheSteps() {
    Cli.Run run = Cli.offline().run("rehearse", "weaviate-first", "--fail-at", "switch-dnz");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .contains("unknown step 'switch-dnz'")
        .contains("switch-dns, purge-memory-keys");
  }

  @Test
  void unknownRoadmap_isAUsageErrorListingTheRoadmaps() {
    Cli.Run run = Cli.offline().run("rehearse", "weaviate-last");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("known roadmaps: weaviate-first");
  }

  @Test
  void promptMode_rejectingTheCutoverGate_rollsBackAndSaysSo() {
    Cli.Run run =
        Cli.offline()
            .input("y\n\nn\nnot today\n")
            .run("rehearse", "weaviate-first", "--approve", "prompt");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.MIGRATION_NOT_COMPLETED);
    assertThat(run.err()).contains("approve gate approve-dns-cutover");
    assertThat(run.out())
        .contains("reject approve-dns-cutover by")
        .contains("\"not today\"")
        .contains("outcome: rolled-back");
  }
}
