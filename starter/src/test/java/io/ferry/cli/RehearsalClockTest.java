package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.sim.FaultPlan;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.roadmap.Roadmap;
import io.ferry.roadmap.Roadmaps;
import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A rehearsal moves the workflow's clock only through the workflow's own durable timers: each step
 * starts at the workflow time it would in an uninterrupted run, that is the time its timers that
 * fired account for plus real time. A skip while a step ran (or while the workflow waited on
 * nothing due) would show as more unaccounted time than the whole rehearsal took.
 */
class RehearsalClockTest {

  /** Rounding of event and workflow times to milliseconds, a few per step. */
  private static final Duration ROUNDING = Duration.ofMillis(100);

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "weaviate-first, ''",
    "app-platform, ''",
    "app-platform, monitor-status=503",
  })
  void everyStepStartsWhenItsTimersAndRealTimeSay(String roadmapId, String knob)
      throws InterruptedException {
    Roadmap roadmap = Roadmaps.byId(roadmapId).orElseThrow();
    PlanFiles.Loaded plan = PlanFiles.example(roadmap);
    SimulatedFleet fleet = new SimulatedFleet(FaultPlan.none());
    fleet.seed(plan.plan());
    if (!knob.isEmpty()) {
      String[] kv = knob.split("=", 2);
      fleet.turn(plan.plan(), kv[0], kv[1]);
    }
    StringWriter out = new StringWriter();
    Rehearsal rehearsal =
        new Rehearsal(
            roadmap, plan, fleet, null, null, new PrintWriter(out), Duration.ofMinutes(5));

    RunbookStatus end;
    List<Span> timers;
    Duration wall;
    try (TestWorkflowEnvironment env = Rehearsal.environment(fleet)) {
      long wallStart = System.nanoTime();
      rehearsal.run(env, wallStart);
      wall = Duration.ofNanos(System.nanoTime() - wallStart);
      String id = plan.plan().workflowId();
      end =
          env.getWorkflowClient()
              .newUntypedWorkflowStub(id)
              .getResult(RunbookResult.class)
              .status();
      timers = firedTimers(env.getWorkflowClient().fetchHistory(id).getEvents());
    }

    assertThat(timers).as("the rehearsal skipped through timers").isNotEmpty();
    List<StepStatus> started =
        end.steps().stream()
            .filter(s -> s.startedAt() != null)
            .sorted(Comparator.comparing(StepStatus::startedAt))
            .toList();
    assertThat(started).hasSizeGreaterThan(5);
    List<Instant> checkpoints = new ArrayList<>();
    started.forEach(s -> checkpoints.add(s.startedAt()));
    checkpoints.add(end.updatedAt());
    for (int i = 0; i < checkpoints.size(); i++) {
      Instant at = checkpoints.get(i);
      Duration elapsed = Duration.between(end.startedAt(), at);
      Duration byTimers = covered(timers, end.startedAt(), at);
      String what = i < started.size() ? "step " + started.get(i).id() + " started" : "it ended";
      assertThat(elapsed.minus(byTimers))
          .as(
              "%s %s after the start, %s of it in timers that fired; the rehearsal took %s\n%s",
              what, elapsed, byTimers, wall, out)
          .isLessThanOrEqualTo(wall.plus(ROUNDING.multipliedBy(i + 1)));
    }
  }

  /** A timer's span of workflow time, from its start to its firing. */
  private record Span(Instant from, Instant to) {}

  private static List<Span> firedTimers(List<HistoryEvent> history) {
    Map<Long, HistoryEvent> startedById = new HashMap<>();
    List<Span> fired = new ArrayList<>();
    for (HistoryEvent e : history) {
      switch (e.getEventType()) {
        case EVENT_TYPE_TIMER_STARTED -> startedById.put(e.getEventId(), e);
        case EVENT_TYPE_TIMER_FIRED -> {
          HistoryEvent started =
              Objects.requireNonNull(
                  startedById.get(e.getTimerFiredEventAttributes().getStartedEventId()));
          fired.add(new Span(instant(started), instant(e)));
        }
        default -> {
          // not a timer that fired
        }
      }
    }
    return fired;
  }

  /** How much of [from, to] the spans cover (they do not overlap: one wait at a time). */
  private static Duration covered(List<Span> spans, Instant from, Instant to) {
    Duration total = Duration.ZERO;
    for (Span s : spans) {
      Instant a = s.from().isAfter(from) ? s.from() : from;
      Instant b = s.to().isBefore(to) ? s.to() : to;
      if (a.isBefore(b)) {
        total = total.plus(Duration.between(a, b));
      }
    }
    return total;
  }

  private static Instant instant(HistoryEvent e) {
    return Instant.ofEpochSecond(e.getEventTime().getSeconds(), e.getEventTime().getNanos());
  }
}
