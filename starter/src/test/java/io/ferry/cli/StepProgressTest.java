package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
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
