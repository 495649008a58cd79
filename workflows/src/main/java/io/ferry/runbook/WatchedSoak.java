package io.ferry.runbook;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A soak that samples the world at an interval: each round calls {@code probe}; a round that does
 * not pass is a breach, shown on the soak's status line and in the operator log, and kept so the
 * gate after the soak can show every one ({@link #briefing()}). Breaches do not end the soak: a
 * person reads them at the gate and decides.
 */
public final class WatchedSoak<A> implements SoakWatch {

  private final Class<A> activities;
  private final Function<A, ? extends ProbeVerdict> probe;
  private final Duration interval;
  private final List<String> breaches = new ArrayList<>();
  private int rounds;
  private String last;

  public WatchedSoak(
      Class<A> activities, Function<A, ? extends ProbeVerdict> probe, Duration interval) {
    if (interval == null || interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("a watched soak needs a positive interval");
    }
    this.activities = activities;
    this.probe = probe;
    this.interval = interval;
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public void round(Round round) {
    rounds++;
    String breach;
    try {
      ProbeVerdict verdict = probe.apply(round.activities(activities));
      last = verdict == null ? "no answer" : verdict.detail();
      breach = verdict == null || verdict.passed() ? null : verdict.detail();
    } catch (ActivityFailure e) {
      last = "sampling failed: " + Runbook.describe(e);
      breach = last;
    }
    if (breach != null) {
      String at = Times.format(Instant.ofEpochMilli(Workflow.currentTimeMillis()));
      breaches.add(at + " " + breach);
      round.breach(breach);
    }
    round.progress(
        rounds
            + (rounds == 1 ? " sample, " : " samples, ")
            + breaches.size()
            + (breaches.size() == 1 ? " breach" : " breaches")
            + "; last: "
            + last);
  }

  public List<String> breaches() {
    return List.copyOf(breaches);
  }

  /** What the gate after the soak shows: every breach, or that there was none. */
  public String briefing() {
    if (breaches.isEmpty()) {
      return rounds + " samples during the soak, no threshold breached";
    }
    return breaches.size()
        + " of "
        + rounds
        + " samples breached a threshold during the soak:\n"
        + String.join("\n", breaches);
  }
}
