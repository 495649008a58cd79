package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.plan.Plan;
import io.ferry.roadmap.Roadmap;
import io.ferry.runbook.FerrySearchAttributes;
import io.ferry.runbook.GateStatus;
import io.ferry.runbook.OperatorAction;
import io.ferry.runbook.OperatorInput;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepStatus;
import io.ferry.testing.Harness;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowStub;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The engine's own cost per step: in each migration's history, the time from one step's
 * ActivityTaskCompleted to the next step's ActivityTaskScheduled where nothing else (no timer, no
 * operator) came between, so it is the server handing the workflow a task, the runbook's code and
 * the new command's return. weaviate-first on one worker with fake activities that answer at once,
 * on the in-process test server, its clock never skipped (gates, manual steps and the soak are
 * answered by an operator: approve, complete, end-soak). A warm-up batch first, then {@code
 * -Dferry.bench.singleRuns} (default 5) migrations one at a time, then {@code
 * -Dferry.bench.migrations} (default 50) at once, with the heap after a GC while all of them wait
 * at their first question (worker and server share the JVM). Run on demand; see README
 * "Benchmarks".
 */
@Tag("benchmark")
class EngineOverheadBenchmark {

  private static final Roadmap ROADMAP = Harness.roadmap("weaviate-first");
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Set<String> ENGINE_EVENTS =
      Set.of(
          EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED.name(),
          EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED.name(),
          EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED.name(),
          EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES.name(),
          EventType.EVENT_TYPE_MARKER_RECORDED.name());

  @Test
  void overheadPerStep_oneMigrationAndManyAtOnce() throws InterruptedException {
    int many = Integer.getInteger("ferry.bench.migrations", 50);
    int singleRuns = Integer.getInteger("ferry.bench.singleRuns", 5);
    try (Harness h = new Harness().patience(Duration.ofMinutes(10))) {
      Batch warm = run(h, "warm", many);
      System.out.printf(
          Locale.ROOT,
          "[bench] warm-up: %d migrations, %d step-to-step gaps%n",
          many,
          warm.gaps().size());

      List<Long> single = new ArrayList<>();
      for (int i = 0; i < singleRuns; i++) {
        single.addAll(run(h, "one" + i, 1).gaps());
      }
      Batch batch = run(h, "many", many);

      report("1 migration", singleRuns + " runs one after another", single);
      report(many + " migrations at once", "one worker", batch.gaps());
      System.out.printf(
          Locale.ROOT,
          "[bench] heap after a GC (worker and in-process server in one JVM, %d cores): %.1f MiB"
              + " before the batch, %.1f MiB with its %d migrations open, %.0f KiB each%n",
          Runtime.getRuntime().availableProcessors(),
          batch.heapBefore() / 1048576.0,
          batch.heapOpen() / 1048576.0,
          many,
          (batch.heapOpen() - batch.heapBefore()) / 1024.0 / many);
    }
  }

  /**
   * One batch's step-to-step gaps (microseconds), the heap before it and while all its migrations
   * waited.
   */
  private record Batch(List<Long> gaps, long heapBefore, long heapOpen) {}

  private static Batch run(Harness h, String prefix, int count) throws InterruptedException {
    long heapBefore = heapAfterGc();
    Map<String, WorkflowStub> open = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String name = "bench-" + prefix + "-" + i;
      Plan plan =
          Harness.examplePlan(
              ROADMAP, text -> text.replaceFirst("(?m)^name: \\S+", "name: " + name));
      open.put(plan.workflowId(), h.start(plan));
    }
    List<String> ids = List.copyOf(open.keySet());
    long heapOpen = 0;
    boolean gathered = false;
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (!open.isEmpty()) {
      assertThat(System.nanoTime()).as("the batch ends within 10 minutes").isLessThan(deadline);
      int waiting = 0;
      for (var it = open.entrySet().iterator(); it.hasNext(); ) {
        WorkflowStub stub = it.next().getValue();
        WorkflowExecutionDescription d = stub.describe();
        if (d.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
          it.remove();
          continue;
        }
        String state = d.getTypedSearchAttributes().get(FerrySearchAttributes.STATE);
        if (waitsForAPerson(state)) {
          waiting++;
          // every migration runs its first steps at the same time as the others
          if (gathered) {
            answer(h, stub);
          }
        }
      }
      if (!gathered && waiting == count) {
        heapOpen = heapAfterGc();
        gathered = true;
      }
      // seldom, so the operator's polling takes little from the engine it measures
      Thread.sleep(POLL.toMillis());
    }
    List<Long> gaps = new ArrayList<>();
    for (String id : ids) {
      gaps.addAll(gaps(h.env.getWorkflowClient().fetchHistory(id).getEvents()));
    }
    return new Batch(gaps, heapBefore, heapOpen);
  }

  private static boolean waitsForAPerson(String state) {
    return RunbookState.AWAITING_APPROVAL.wireName().equals(state)
        || RunbookState.AWAITING_MANUAL_STEP.wireName().equals(state)
        || RunbookState.SOAKING.wireName().equals(state);
  }

  /** What an operator would do: approve, confirm, end the soak. */
  private static void answer(Harness h, WorkflowStub stub) {
    RunbookStatus s = h.status(stub);
    String by = Harness.OPERATOR;
    switch (s.state()) {
      case AWAITING_APPROVAL -> {
        for (GateStatus gate : s.pendingGates()) {
          h.operate(stub, OperatorAction.APPROVE, OperatorInput.on(gate.id(), by, null));
        }
      }
      case AWAITING_MANUAL_STEP -> {
        for (StepStatus step : s.waitingManualSteps()) {
          h.operate(stub, OperatorAction.COMPLETE, OperatorInput.on(step.id(), by, null));
        }
      }
      case SOAKING -> h.operate(stub, OperatorAction.END_SOAK, OperatorInput.by(by));
      default -> {
        // it moved on since the describe
      }
    }
  }

  /**
   * Completed → next scheduled, in microseconds, where only the engine's own events came between.
   */
  static List<Long> gaps(List<HistoryEvent> history) {
    List<Long> gaps = new ArrayList<>();
    HistoryEvent completed = null;
    for (HistoryEvent e : history) {
      EventType type = e.getEventType();
      if (type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        completed = e;
      } else if (type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && completed != null) {
        gaps.add(micros(e) - micros(completed));
        completed = null;
      } else if (!ENGINE_EVENTS.contains(type.name())) {
        completed = null; // a timer, an operator, a failure: not the engine's own time
      }
    }
    return gaps;
  }

  private static void report(String what, String how, List<Long> gapsMicros) {
    assertThat(gapsMicros).as(what + ": step-to-step gaps").isNotEmpty();
    List<Long> sorted = gapsMicros.stream().sorted().toList();
    System.out.printf(
        Locale.ROOT,
        "[bench] engine overhead per step, %s (%s): median %.1f ms, p90 %.1f ms, max %.1f ms"
            + " over %d gaps%n",
        what,
        how,
        percentile(sorted, 50) / 1000.0,
        percentile(sorted, 90) / 1000.0,
        sorted.get(sorted.size() - 1) / 1000.0,
        sorted.size());
  }

  private static long percentile(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
  }

  private static long heapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static long micros(HistoryEvent e) {
    return e.getEventTime().getSeconds() * 1_000_000 + e.getEventTime().getNanos() / 1000;
  }
}
