package io.ferry.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.SecretResolver;
import io.ferry.activities.sim.FaultPlan;
import io.ferry.activities.sim.Ledger;
import io.ferry.activities.sim.PortJournal;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.plan.Plan;
import io.ferry.roadmap.Roadmap;
import io.ferry.roadmap.Roadmaps;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.testing.Harness;
import io.ferry.testing.PortBoundTemporal;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Scale-out: two worker processes poll one task queue of one server and share the migration's work;
 * in the middle of the memory migration the one running it is SIGKILLed, and the other, still
 * polling, finishes the migration (the killed attempt is retried once the server times it out).
 * Both workers act on one simulated world (one journal, locked per call), as two real workers act
 * on one real fleet.
 *
 * <p>Takes a minute or two of real time (the heartbeat timeout of the killed attempt), so it runs
 * beside the crash trials: {@code ./mvnw -B verify -Pcrash-resume}. Logs stay in {@code
 * starter/target/scale-out}.
 */
@EnabledIfSystemProperty(named = "ferry.crashResume", matches = "true")
class ScaleOutTest {

  private static final Duration LIMIT = Duration.ofMinutes(4);
  private static final int KILL_AT_CALL = 5; // of its 10 calls to the world

  @Test
  void twoWorkersOnOneQueue_oneKilledMidMigration_theOtherFinishesIt() throws Exception {
    Roadmap roadmap = Roadmaps.require("weaviate-first");
    Path dir = Files.createDirectories(Path.of("target", "scale-out"));
    Path trialDir = Files.createTempDirectory(dir, roadmap.id());
    Path planFile = trialDir.resolve("plan.yaml");
    Files.writeString(planFile, Examples.planText(roadmap), StandardCharsets.UTF_8);
    Path logConfig = trialDir.resolve("logback.xml");
    Files.writeString(logConfig, CrashResumeTest.WORKER_LOGGING, StandardCharsets.UTF_8);
    Path state = trialDir.resolve("sim-state.jsonl");
    Plan plan = Examples.plan(roadmap);
    PortBoundTemporal temporal = new PortBoundTemporal("localhost");
    int port = temporal.port;
    WorkflowServiceStubs service = temporal.service;
    WorkflowClient client = temporal.client;
    ServerClock clock = new ServerClock(port);
    Process one = null;
    Process two = null;
    AtomicReference<Process> killed = new AtomicReference<>();
    long wallStart = System.nanoTime();
    try (JournalWatch watch =
        new JournalWatch(state, CrashResumeTest.MIGRATION_STEP, KILL_AT_CALL)) {
      Path log1 = trialDir.resolve("worker-1.log");
      Path log2 = trialDir.resolve("worker-2.log");
      // one after the other: two JVMs starting at once on a busy machine can miss the frontend's
      // first answer
      one = CrashResumeTest.worker(port, state, planFile, logConfig, log1);
      assertThat(polling(one, log1)).as("worker 1 polls; logs in %s", trialDir).isTrue();
      two = CrashResumeTest.worker(port, state, planFile, logConfig, log2);
      assertThat(polling(two, log2)).as("worker 2 polls; logs in %s", trialDir).isTrue();
      Map<Long, Process> byPid = Map.of(one.pid(), one, two.pid(), two);
      watch.onReached(
          () -> {
            Long pid = runningMigrationStep(service, plan.workflowId());
            Process running = pid == null ? null : byPid.get(pid);
            Process victim = running != null ? running : byPid.values().iterator().next();
            victim.destroyForcibly(); // SIGKILL, in the middle of the memory migration
            killed.set(victim);
            System.out.printf(
                "scale-out: SIGKILLed worker pid %d %s; the other keeps polling%n",
                victim.pid(),
                running != null
                    ? "while it ran " + CrashResumeTest.MIGRATION_STEP
                    : "(which ran the step is unknown)");
          });
      WorkflowStub stub = temporal.newRun(roadmap, plan);
      clock.skipTo(Harness.START); // the day the baseline ran on
      stub.start(plan);
      RunbookStatus status = null;
      while (true) {
        if (System.nanoTime() - wallStart > LIMIT.toNanos()) {
          throw new AssertionError(
              "did not finish within "
                  + LIMIT
                  + "; last status: "
                  + status
                  + "; logs in "
                  + trialDir);
        }
        try {
          status = stub.query("status", RunbookStatus.class);
          if (status.state().isFinal() || status.state() == RunbookState.AWAITING_DECISION) {
            break;
          }
          if (!CrashResumeTest.answer(stub, status)) {
            clock.skipWaits(client, plan.workflowId());
          }
        } catch (WorkflowServiceException queryNotAnsweredYet) {
          Thread.sleep(100);
        }
        Thread.sleep(10);
      }

      assertThat(killed.get()).as("a worker was killed; logs in %s", trialDir).isNotNull();
      assertThat(status.state())
          .as("%s; logs in %s", status, trialDir)
          .isEqualTo(RunbookState.COMPLETED);
      Process survivor = killed.get() == one ? two : one;
      assertThat(survivor.isAlive()).isTrue();
      Map<String, Long> tasksBy = tasksByWorker(client, plan.workflowId());
      assertThat(tasksBy.keySet())
          .as("both workers took tasks from the one queue: %s", tasksBy)
          .anySatisfy(identity -> assertThat(identity).startsWith(killed.get().pid() + "@"))
          .anySatisfy(identity -> assertThat(identity).startsWith(survivor.pid() + "@"));
      SimulatedFleet rebuilt =
          new SimulatedFleet(FaultPlan.none(), SecretResolver.standIns(), PortJournal.at(state));
      rebuilt.seed(plan);
      rebuilt.resume();
      assertThat(
              Ledger.differences(Baseline.of(roadmap).after(), rebuilt.ledger().snapshot(), false))
          .as("the world two workers and a kill left, against one uninterrupted worker's")
          .isEmpty();
      System.out.printf(
          "scale-out: completed by pid %d after pid %d was killed; tasks per worker %s; %.1fs%n",
          survivor.pid(), killed.get().pid(), tasksBy, (System.nanoTime() - wallStart) / 1e9);
    } finally {
      for (Process p : new Process[] {one, two}) {
        if (p != null) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      }
      clock.close();
      temporal.close();
    }
  }

  /** The pid of the worker running the migration's current activity, or null if none shows. */
  private static Long runningMigrationStep(WorkflowServiceStubs service, String workflowId) {
    List<PendingActivityInfo> pending =
        service
            .blockingStub()
            .describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace("default")
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                    .build())
            .getPendingActivitiesList();
    for (PendingActivityInfo activity : pending) {
      String identity = activity.getLastWorkerIdentity();
      int at = identity.indexOf('@');
      if (at > 0) {
        try {
          return Long.parseLong(identity.substring(0, at));
        } catch (NumberFormatException notOurs) {
          // an identity set by hand; keep looking
        }
      }
    }
    return null;
  }

  /** Workflow and activity tasks each worker (its identity) took, from the history. */
  private static Map<String, Long> tasksByWorker(WorkflowClient client, String workflowId) {
    return client.fetchHistory(workflowId).getEvents().stream()
        .map(ScaleOutTest::identity)
        .filter(identity -> identity != null && !identity.isEmpty())
        .collect(Collectors.groupingBy(identity -> identity, Collectors.counting()));
  }

  private static String identity(HistoryEvent event) {
    if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
      return event.getActivityTaskStartedEventAttributes().getIdentity();
    }
    if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
      return event.getWorkflowTaskStartedEventAttributes().getIdentity();
    }
    return null;
  }

  private static boolean polling(Process worker, Path log) throws Exception {
    for (int i = 0; i < 600 && worker.isAlive(); i++) {
      if (Files.exists(log)
          && Files.readString(log, StandardCharsets.UTF_8).contains("polling task queue")) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }
}
