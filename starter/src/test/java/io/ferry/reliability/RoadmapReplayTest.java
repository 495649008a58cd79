package io.ferry.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.sim.FaultPlan;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.plan.Plan;
import io.ferry.roadmap.Roadmap;
import io.ferry.runbook.OperatorAction;
import io.ferry.runbook.OperatorInput;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepKind;
import io.ferry.testing.CallLog;
import io.ferry.testing.FakeActivities;
import io.ferry.testing.Harness;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every registered roadmap's recorded happy path and rollback path (on the simulated fleet,
 * from its example plan), and the further paths some roadmaps keep, against today's workflow code:
 * a change that would break running migrations fails here. A roadmap without recordings fails too.
 * Every replayed history lives in this module's {@code src/test/resources/histories/}. After an
 * intentional change (guarded by {@code Workflow.getVersion} where migrations may be in flight), or
 * for a new roadmap, record them with {@value #RECORD}; {@code -Dferry.recordHistories=ROADMAP}
 * records only that roadmap's, leaving the others' recordings as they are.
 */
class RoadmapReplayTest {

  static final String RECORD =
      "./mvnw -B -pl starter -am test -Dtest=RoadmapReplayTest -Dferry.recordHistories=true"
          + " -Dsurefire.failIfNoSpecifiedTests=false";
  private static final String RECORDING = System.getProperty("ferry.recordHistories", "false");
  private static final AtomicInteger RUN = new AtomicInteger();
  private static final AtomicInteger PASSED = new AtomicInteger();

  /** The paths through a roadmap whose histories are kept. */
  enum Path_ {
    HAPPY("happy-path", RunbookState.COMPLETED),
    ROLLBACK("rollback-path", RunbookState.ROLLED_BACK);

    final String suffix;
    final RunbookState end;

    Path_(String suffix, RunbookState end) {
      this.suffix = suffix;
      this.end = end;
    }

    String file(Roadmap roadmap) {
      return roadmap.id() + "-" + suffix + ".json";
    }
  }

  /** Paths beyond the happy and rollback ones that one roadmap keeps recorded. */
  enum Extra {
    /** A compensation fails and parks; the operator retries it (on the fake activities). */
    WEAVIATE_FIRST_FAILED_UNDO_RETRIED(
        "weaviate-first", "weaviate-first-failed-undo-retried.json") {
      @Override
      String record(Roadmap roadmap) {
        CallLog log =
            new CallLog().failAt("switch-dns", Integer.MAX_VALUE).failAt("undo:copy-structured", 1);
        try (Harness h = new Harness(log, new FakeActivities())) {
          WorkflowStub stub = h.start(Examples.plan(roadmap));
          assertThat(h.drive(stub, s -> false).parked()).isNotNull();
          h.operate(
              stub, OperatorAction.RETRY, OperatorInput.on("copy-structured", "replay", null));
          assertThat(h.driveToEnd(stub).state()).isEqualTo(RunbookState.ROLLED_BACK);
          return h.historyJson(stub);
        }
      }
    },
    /** The monitor window's probes fail: timers, the spent budget and every compensation. */
    APP_PLATFORM_MONITOR_ROLLBACK("app-platform", "app-platform-monitor-rollback.json") {
      @Override
      String record(Roadmap roadmap) {
        Plan plan = Examples.plan(roadmap);
        SimulatedFleet fleet = Baseline.fleet(plan, FaultPlan.none());
        fleet.setStatus("https://www.lightclick.example.com", 503);
        try (RoadmapRun run = new RoadmapRun(roadmap, plan, fleet)) {
          run.start();
          assertThat(run.driveToEnd().state()).isEqualTo(RunbookState.ROLLED_BACK);
          return run.historyJson();
        }
      }
    };

    final String roadmap;
    final String file;

    Extra(String roadmap, String file) {
      this.roadmap = roadmap;
      this.file = file;
    }

    abstract String record(Roadmap roadmap);
  }

  @TestFactory
  Stream<DynamicTest> everyRoadmap_recordedHistories_replayWithoutNondeterminism() {
    Stream<DynamicTest> paths =
        Examples.roadmaps().stream()
            .flatMap(
                r ->
                    Stream.of(Path_.values())
                        .map(
                            p ->
                                DynamicTest.dynamicTest(
                                    p.file(r),
                                    () -> replayOrRecord(r, p.file(r), () -> record(r, p)))));
    Stream<DynamicTest> extras =
        Stream.of(Extra.values())
            .map(
                e -> {
                  Roadmap r = Harness.roadmap(e.roadmap);
                  return DynamicTest.dynamicTest(
                      e.file, () -> replayOrRecord(r, e.file, () -> e.record(r)));
                });
    return Stream.concat(paths, extras);
  }

  /** Records one path's history. */
  private interface Recorder {
    String record() throws IOException;
  }

  @AfterAll
  static void printCounts() {
    System.out.printf(
        "replay: %d histories %s, %d passed%n",
        RUN.get(), RECORDING.equals("false") ? "replayed" : "recorded or replayed", PASSED.get());
  }

  private static void replayOrRecord(Roadmap roadmap, String name, Recorder recorder)
      throws Exception {
    RUN.incrementAndGet();
    if (RECORDING.equals("true") || RECORDING.equals(roadmap.id())) {
      Path file = Path.of("src/test/resources/histories", name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, recorder.record(), StandardCharsets.UTF_8);
      PASSED.incrementAndGet();
      return;
    }
    String json;
    try (InputStream in = RoadmapReplayTest.class.getResourceAsStream("/histories/" + name)) {
      assertThat(in)
          .as(
              "recorded history %s of roadmap %s is missing; record it with %s",
              name, roadmap.id(), RECORD)
          .isNotNull();
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // a loaded 2-core machine can take a second over a cold first task: that is not a deadlock
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker =
          env.newWorker(
              "replay",
              WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(30_000).build());
      worker.registerWorkflowImplementationTypes(roadmap.workflowImplementation());
      WorkflowReplayer.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(json), worker);
    }
    PASSED.incrementAndGet();
  }

  /** Runs the path on the simulated fleet and returns its history. */
  static String record(Roadmap roadmap, Path_ path) throws IOException {
    Plan plan = Examples.plan(roadmap);
    FaultPlan faults =
        path == Path_.HAPPY ? FaultPlan.none() : FaultPlan.failAt(lastUndoableStep(roadmap));
    try (RoadmapRun run = new RoadmapRun(roadmap, plan, Baseline.fleet(plan, faults))) {
      run.start();
      RunbookStatus end = run.driveToEnd();
      assertThat(end.state()).as("%s", end).isEqualTo(path.end);
      run.result();
      return run.historyJson();
    }
  }

  /** The last effect step before the point of no return: its failure undoes everything before. */
  static String lastUndoableStep(Roadmap roadmap) {
    List<StepDef> steps =
        roadmap.steps().subList(0, Examples.pointOfNoReturn(roadmap)).stream()
            .filter(s -> s.kind() == StepKind.EFFECT && !s.conditional())
            .toList();
    return steps.get(steps.size() - 1).id();
  }
}
