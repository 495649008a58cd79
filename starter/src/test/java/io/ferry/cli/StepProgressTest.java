package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepKind;
import io.ferry.runbook.StepState;
import io.ferry.runbook.StepStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StepProgressTest {
  private final AtomicLong clock = new AtomicLong();
  private final StepProgress progress = new StepProgress(Duration.ofSeconds(3), clock::get);

  private static RunbookStatus at(RunbookState state, String step) {
    return new RunbookStatus(
        "drill", "x", "drill-x", state, "phase", step, null, null, List.of(), List.of(), null, null,
        null, List.of(), null, null);
  }

  private static RunbookStatus holding(String step, String result) {
    StepStatus status =
        new StepStatus(
            step,
            "t",
            "phase",
            StepKind.READ_ONLY,
            StepState.RUNNING,
            1,
            null,
            null,
            null,
            result,
            null);
    return new RunbookStatus(
        "drill",
        "x",
        "drill-x",
        RunbookState.RUNNING,
        "phase",
        step,
        null,
        null,
        List.of(status),
        List.of(),
        null,
        null,
        null,
        List.of(),
        null,
        null);
  }

  private void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  @Test
  void aStepRunningLongerThanThePeriod_saysSoOncePerPeriod() {
    assertThat(progress.see(at(RunbookState.RUNNING, "migrate-memory"))).isEmpty();
    advance(Duration.ofSeconds(2));
    assertThat(progress.see(at(RunbookState.RUNNING, "migrate-memory"))).isEmpty();
    advance(Duration.ofSeconds(2));
    assertThat(progress.see(at(RunbookState.RUNNING, "migrate-memory")))
        .contains("    … migrate-memory still running (4.0s so far)");
    advance(Duration.ofSeconds(1));
    assertThat(progress.see(at(RunbookState.RUNNING, "migrate-memory"))).isEmpty();
  }

  @Test
  void aHoldingStep_showsWhatItWaitsFor_withItsProgressLine() {
    progress.see(holding("verify-streaming", "holding (round 1): tx lag 30000 ms"));
    advance(Duration.ofSeconds(3));

    assertThat(progress.see(holding("verify-streaming", "holding (round 2): tx lag 29000 ms")))
        .contains(
            "    … verify-streaming still running (3.0s so far): holding (round 2): tx lag 29000"
                + " ms");
  }

  @Test
  void aNewStep_startsItsOwnCount_andWaitsForAPersonSayNothing() {
    progress.see(at(RunbookState.RUNNING, "copy-structured"));
    advance(Duration.ofSeconds(5));
    assertThat(progress.see(at(RunbookState.RUNNING, "verify-counts"))).isEmpty();
    advance(Duration.ofSeconds(5));
    assertThat(progress.see(at(RunbookState.AWAITING_APPROVAL, "verify-counts"))).isEmpty();
    advance(Duration.ofSeconds(5));
    assertThat(progress.see(at(RunbookState.ROLLING_BACK, "switch-dns"))).isEmpty();
    advance(Duration.ofSeconds(3));
    assertThat(progress.see(at(RunbookState.ROLLING_BACK, "switch-dns")))
        .contains("    … switch-dns still rolling back (3.0s so far)");
  }
}
