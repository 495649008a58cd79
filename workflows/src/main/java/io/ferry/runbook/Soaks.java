package io.ferry.runbook;

import io.ferry.plan.Durations;
import java.time.Duration;
import java.time.Instant;

/**
 * A runbook's soaks: durable waits that operators may extend, end early or roll back during, with
 * soak-ending reminders and an optional watch that runs a round every interval. Holds the running
 * soak, which the status shows.
 */
final class Soaks {

  private final Runbook runbook;
  private final SoakReminders reminders = new SoakReminders();
  private SoakStatus soak;
  private int rounds;

  Soaks(Runbook runbook) {
    this.runbook = runbook;
  }

  /** The running soak, or null. */
  SoakStatus current() {
    return soak;
  }

  /** Moves the running soak's end by {@code more}; the soak's loop sees it and waits longer. */
  SoakStatus extend(Duration more) {
    soak = new SoakStatus(soak.id(), soak.startedAt(), soak.endsAt().plus(more));
    return soak;
  }

  /**
   * A soak that wakes every {@code watch.interval()} to run one round of {@code watch} (see {@link
   * WatchedSoak}); without a watch it only waits.
   */
  void soak(StepDef def, Duration duration, SoakWatch watch) {
    OperatorControls controls = runbook.controls();
    RunbookEvents events = runbook.events();
    runbook.requireKind(def, StepKind.SOAK);
    runbook.boundary(def);
    Instant start = Runbook.now();
    soak = new SoakStatus(def.id(), start, start.plus(duration));
    controls.soakStarted();
    runbook.update(def.id(), s -> s.started(start).with(StepState.WAITING));
    runbook.enter(RunbookState.SOAKING);
    while (true) {
      Duration remaining = Duration.between(Runbook.now(), soak.endsAt());
      if (controls.soakEndRequested()
          || controls.rollbackRequested()
          || remaining.isNegative()
          || remaining.isZero()) {
        break;
      }
      Instant endsAt = soak.endsAt();
      Duration reminder = reminders.next(events.settings(), remaining, endsAt);
      Duration untilReminder = reminder == null ? remaining : remaining.minus(reminder);
      boolean watchDue = watch != null && watch.interval().compareTo(untilReminder) < 0;
      boolean woke =
          runbook.awaitUntil(
              watchDue ? watch.interval() : untilReminder,
              () ->
                  controls.soakEndRequested()
                      || controls.rollbackRequested()
                      || !soak.endsAt().equals(endsAt));
      if (woke) {
        continue;
      }
      if (watchDue) {
        watch.round(new Round(def));
      } else if (reminder != null) {
        reminders.sent(endsAt, reminder);
        events.record(Notices.soakEnding(def, reminder, endsAt));
      }
    }
    SoakStatus finished = soak;
    soak = null;
    if (controls.rollbackRequested()) {
      throw runbook.failedByRollback(def, "rollback requested during the soak");
    }
    String how = controls.soakEndRequested() ? "ended early" : "soaked";
    Instant end = controls.soakEndRequested() ? Runbook.now() : finished.endsAt();
    Duration soaked =
        Duration.between(finished.startedAt(), end)
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    runbook.end(
        def,
        StepState.DONE,
        null,
        how + (controls.soakEndRequested() ? " after " : " for ") + Durations.format(soaked));
    runbook.enter(RunbookState.RUNNING);
  }

  /** One round of a soak's watch: its activity calls are the soak step's, numbered by round. */
  private final class Round implements SoakWatch.Round {
    private final StepDef def;
    private final int number;

    Round(StepDef def) {
      this.def = def;
      this.number = ++rounds;
    }

    @Override
    public <A> A activities(Class<A> type) {
      return runbook.stub(
          type,
          def,
          new StepCall(def.id(), false, number),
          def.title() + " (round " + number + ")");
    }

    @Override
    public void progress(String text) {
      runbook.update(def.id(), s -> s.ended(s.state(), null, null, text));
      runbook.publish();
    }

    @Override
    public void record(String what, String detail) {
      runbook.log(what, def.id(), "ferry", null, detail);
      runbook.publish();
    }

    @Override
    public void breach(String detail) {
      runbook.soakBreach(def.id(), detail);
    }
  }
}
