package io.ferry.cli;

import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Says when a step has been running for a while, every {@code every} of wall time, so a quiet
 * screen during a long step never looks like a hung one.
 */
final class StepProgress {
  private final Duration every;
  private final LongSupplier nanoTime;
  private String step;
  private long since;
  private long lastSaid;

  StepProgress(Duration every, LongSupplier nanoTime) {
    this.every = every;
    this.nanoTime = nanoTime;
  }

  /** The line to print for this status, if its running step is due one. */
  Optional<String> see(RunbookStatus status) {
    boolean running =
        status.state() == RunbookState.RUNNING || status.state() == RunbookState.ROLLING_BACK;
    String current = running ? status.currentStep() : null;
    long now = nanoTime.getAsLong();
    if (current == null || !current.equals(step)) {
      step = current;
      since = now;
      lastSaid = now;
      return Optional.empty();
    }
    if (now - lastSaid < every.toNanos()) {
      return Optional.empty();
    }
    lastSaid = now;
    // what the step shows while it runs (a hold's lag per replica, a window's rounds)
    var shown = status.step(step);
    String result = shown == null || shown.result() == null ? "" : ": " + shown.result();
    return Optional.of(
        String.format(
            "    … %s still %s (%s so far)%s",
            step,
            status.state() == RunbookState.ROLLING_BACK ? "rolling back" : "running",
            RehearsalLog.human(Duration.ofNanos(now - since)),
            result));
  }
}
