package io.ferry.runbook;

import io.ferry.plan.Durations;
import io.temporal.failure.ActivityFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * A runbook's steps made of probe rounds: a watch (a monitor window with a failure budget) and a
 * hold (waits until a probe passes). Each round is its own short activity call with a durable timer
 * after it, so a worker restart loses nothing, and an operator's rollback ends the wait at once.
 */
final class ProbeRounds {

  private static final Duration MIN_ROUND_WAIT = Duration.ofMillis(1);

  private final Runbook runbook;

  ProbeRounds(Runbook runbook) {
    this.runbook = runbook;
  }

  /** {@link Runbook#watch}. */
  <A> WatchReport watch(
      StepDef def,
      Class<A> activities,
      Function<A, ? extends ProbeVerdict> probe,
      Duration window,
      Duration interval,
      int failureBudget) {
    Instant ends = beginRounds(def).plus(window);
    int rounds = 0;
    int failures = 0;
    String lastFailure = null;
    while (true) {
      rounds++;
      Instant roundStarted = Runbook.now();
      A stub = roundStub(activities, def, rounds);
      String failure;
      boolean decisive = false;
      try {
        ProbeVerdict verdict = probe.apply(stub);
        failure = verdict == null || verdict.passed() ? null : verdict.detail();
        decisive = failure != null && verdict.decisive();
      } catch (ActivityFailure e) {
        failure = Runbook.describe(e);
      }
      if (failure != null) {
        failures++;
        lastFailure = failure;
      }
      WatchReport report = new WatchReport(rounds, failures, failureBudget, lastFailure);
      if (failures > failureBudget || decisive) {
        String why = "failure budget spent: " + report.summary();
        runbook.end(def, StepState.FAILED, why, null);
        if (runbook.pointOfNoReturn() != null) {
          // nothing before a point of no return can be undone any more; the status shows it
          runbook.publish();
          return report;
        }
        throw new Runbook.RollbackSignal("step " + def.id() + " failed: " + why);
      }
      String progress =
          report.summary()
              + "; watching "
              + Durations.format(window)
              + " until "
              + Times.format(ends);
      runbook.update(def.id(), s -> s.ended(StepState.RUNNING, null, null, progress));
      runbook.publish();
      Duration left = Duration.between(Runbook.now(), ends);
      if (left.isNegative() || left.isZero()) {
        runbook.end(def, StepState.DONE, null, report.summary());
        runbook.publish();
        return report;
      }
      // rounds start every interval: a round that probes for a while shortens the wait after it
      Duration untilNext = untilNextRound(roundStarted, interval);
      awaitNextRound(def, left.compareTo(untilNext) < 0 ? left : untilNext, "watch");
    }
  }

  /** The start of a step made of probe rounds (a watch or a hold); returns when it started. */
  private Instant beginRounds(StepDef def) {
    runbook.requireKind(def, StepKind.READ_ONLY);
    runbook.boundary(def);
    Instant started = Runbook.now();
    runbook.update(def.id(), s -> s.started(started));
    runbook.enter(RunbookState.RUNNING);
    return started;
  }

  /** Round {@code round}'s activities: a call of the step's, numbered, titled by its round. */
  private <A> A roundStub(Class<A> activities, StepDef def, int round) {
    return runbook.stub(
        activities,
        def,
        new StepCall(def.id(), false, round),
        def.title() + " (round " + round + ")");
  }

  /** Waits for the next round; an operator's rollback meanwhile fails the step at once. */
  private void awaitNextRound(StepDef def, Duration wait, String during) {
    OperatorControls controls = runbook.controls();
    runbook.awaitUntil(wait, controls::rollbackRequested);
    if (controls.rollbackRequested()) {
      throw runbook.failedByRollback(def, "rollback requested during the " + during);
    }
  }

  /** The wait before the next round; never zero, so every round is followed by its timer. */
  private Duration untilNextRound(Instant roundStarted, Duration interval) {
    Duration wait = interval.minus(Duration.between(roundStarted, Runbook.now()));
    return wait.compareTo(MIN_ROUND_WAIT) < 0 ? MIN_ROUND_WAIT : wait;
  }

  /** {@link Runbook#hold}. */
  <A> String hold(
      StepDef def,
      Class<A> activities,
      Function<A, ? extends ProbeVerdict> probe,
      Duration interval,
      Duration timeout) {
    Instant ends = beginRounds(def).plus(timeout);
    int rounds = 0;
    while (true) {
      rounds++;
      A stub = roundStub(activities, def, rounds);
      String seen;
      try {
        ProbeVerdict verdict = probe.apply(stub);
        if (verdict != null && verdict.passed()) {
          String passed = verdict.detail();
          runbook.end(def, StepState.DONE, null, passed);
          runbook.publish();
          return passed;
        }
        seen = verdict == null ? "no answer" : verdict.detail();
      } catch (ActivityFailure e) {
        seen = Runbook.describe(e);
      }
      Duration left = Duration.between(Runbook.now(), ends);
      if (left.isNegative() || left.isZero()) {
        String why = "still not met after " + Durations.format(timeout) + ": " + seen;
        runbook.end(def, StepState.FAILED, why, null);
        throw new Runbook.RollbackSignal("step " + def.id() + " failed: " + why);
      }
      String holding = "holding (round " + rounds + ", until " + Times.format(ends) + "): " + seen;
      runbook.update(def.id(), s -> s.ended(StepState.RUNNING, null, null, holding));
      runbook.publish();
      awaitNextRound(def, left.compareTo(interval) < 0 ? left : interval, "hold");
    }
  }
}
