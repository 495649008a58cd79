package io.ferry.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.SecretResolver;
import io.ferry.activities.sim.FaultPlan;
import io.ferry.activities.sim.Ledger;
import io.ferry.activities.sim.PortJournal;
import io.ferry.activities.sim.Resource;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.plan.Plan;
import io.ferry.roadmap.Roadmap;
import io.ferry.runbook.FerrySearchAttributes;
import io.ferry.runbook.GateStatus;
import io.ferry.runbook.OperatorAction;
import io.ferry.runbook.OperatorCommand;
import io.ferry.runbook.OperatorInput;
import io.ferry.runbook.OperatorReply;
import io.ferry.runbook.RunbookControls;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepStatus;
import io.ferry.worker.FerryWorker;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash and resume: the embedded Temporal server runs in this process, the worker ({@code ferry
 * worker --fleet sim --sim-state FILE}) in another, which is killed with SIGKILL when a chosen step
 * has begun to change the world. A new worker replays the fleet's journal and carries on: the
 * migration completes, and the world equals an uninterrupted run's, so nothing was made twice.
 *
 * <p>Real time, so slow (an activity cut short is retried after its timeout): runs with {@code
 * ./mvnw -B verify -Pcrash-resume}. Trials per roadmap: two steps chosen by a seeded random ({@code
 * -Dferry.crashSeed=N} repeats a run), and the memory migration where a roadmap has one.
 */
@EnabledIfSystemProperty(named = "ferry.crashResume", matches = "true")
class CrashResumeTest {

  static final String MIGRATION_STEP = "migrate-memory";
  private static final long SEED = Long.getLong("ferry.crashSeed", System.currentTimeMillis());
  private static final Duration LIMIT = Duration.ofMinutes(6);

  @TempDir Path dir;

  @TestFactory
  Stream<DynamicTest> everyRoadmap_workerKilledAtAStep_resumesWithoutDuplicates() {
    System.out.printf(
        "crash and resume: random seed %d (repeat with -Dferry.crashSeed=%d)%n", SEED, SEED);
    Random random = new Random(SEED);
    List<DynamicTest> trials = new ArrayList<>();
    for (Roadmap roadmap : Examples.roadmaps()) {
      List<String> steps = new ArrayList<>(Baseline.of(roadmap).stepsRun());
      List<String> chosen = new ArrayList<>();
      if (steps.remove(MIGRATION_STEP)) {
        chosen.add(MIGRATION_STEP);
      }
      for (int i = 0; i < 2 && !steps.isEmpty(); i++) {
        chosen.add(steps.remove(random.nextInt(steps.size())));
      }
      for (String step : chosen) {
        trials.add(
            DynamicTest.dynamicTest(
                roadmap.id() + ": kill the worker at " + step, () -> trial(roadmap, step)));
      }
    }
    return trials.stream();
  }

  private void trial(Roadmap roadmap, String killAt) throws Exception {
    long wallStart = System.nanoTime();
    Path trialDir = Files.createTempDirectory(dir, roadmap.id());
    Path planFile = trialDir.resolve("plan.yaml");
    Files.writeString(planFile, Examples.planText(roadmap), StandardCharsets.UTF_8);
    Path state = trialDir.resolve("sim-state.jsonl");
    Plan plan = Examples.plan(roadmap);
    int port = freePort();
    TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port, true);
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget("localhost:" + port).build());
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setTarget("localhost:" + port)
                .validateAndBuildWithDefaults());
    List<Process> workers = new ArrayList<>();
    try {
      operator
          .blockingStub()
          .addSearchAttributes(
              AddSearchAttributesRequest.newBuilder()
                  .setNamespace("default")
                  .putAllSearchAttributes(FerrySearchAttributes.DEFINITIONS)
                  .build());
      WorkflowClient client = WorkflowClient.newInstance(service);
      workers.add(worker(port, state, planFile, trialDir.resolve("worker-1.log")));
      WorkflowStub stub =
          client.newUntypedWorkflowStub(
              roadmap.workflowType(),
              WorkflowOptions.newBuilder()
                  .setWorkflowId(plan.workflowId())
                  .setTaskQueue(FerryWorker.TASK_QUEUE)
                  .build());
      stub.start(plan);
      boolean killed = false;
      RunbookStatus status = null;
      while (true) {
        if (System.nanoTime() - wallStart > LIMIT.toNanos()) {
          throw new AssertionError(
              "did not finish within "
                  + LIMIT
                  + "; last: "
                  + stub.query("status", RunbookStatus.class));
        }
        if (!killed && journalReached(state, killAt)) {
          Process first = workers.get(0);
          first.destroyForcibly(); // SIGKILL
          first.waitFor(10, TimeUnit.SECONDS);
          killed = true;
          System.out.printf(
              "%s: SIGKILLed worker pid %d once %s had begun; starting another%n",
              roadmap.id(), first.pid(), killAt);
          workers.add(worker(port, state, planFile, trialDir.resolve("worker-2.log")));
        }
        try {
          status = stub.query("status", RunbookStatus.class);
          if (status.state().isFinal() || status.state() == RunbookState.AWAITING_DECISION) {
            break;
          }
          answer(stub, status);
        } catch (WorkflowServiceException noWorkerYet) {
          // a query or update needs a worker: the new one is starting and replaying the journal
          Thread.sleep(200);
        }
        Thread.sleep(20);
      }
      assertThat(killed).as("the worker was killed at %s", killAt).isTrue();
      assertThat(status.state()).as("%s", status).isEqualTo(RunbookState.COMPLETED);
      // the world the workers left, rebuilt from the journal as a third worker would see it
      SimulatedFleet rebuilt =
          new SimulatedFleet(FaultPlan.none(), SecretResolver.standIns(), PortJournal.at(state));
      rebuilt.seed(plan);
      rebuilt.resume();
      Map<String, Resource> after = rebuilt.ledger().snapshot();
      assertThat(Ledger.differences(Baseline.of(roadmap).after(), after, false))
          .as("the world after a crash at %s against an uninterrupted run", killAt)
          .isEmpty();
      StepStatus step = status.step(killAt);
      System.out.printf(
          "%s: crash at %s: completed, %d resources equal to an uninterrupted run's; step ran %d"
              + " time(s) at the workflow level; %.1fs wall time%n",
          roadmap.id(),
          killAt,
          after.size(),
          step.attempts(),
          (System.nanoTime() - wallStart) / 1e9);
    } finally {
      for (Process p : workers) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      operator.shutdownNow();
      service.shutdownNow();
      server.close();
    }
  }

  /** Approves gates, completes manual steps and ends soaks early: real time cannot wait a week. */
  private static void answer(WorkflowStub stub, RunbookStatus s) {
    OperatorCommand command = null;
    if (!s.pendingGates().isEmpty()) {
      GateStatus gate = s.pendingGates().get(0);
      command = command(OperatorAction.APPROVE, gate.id());
    } else if (!s.waitingManualSteps().isEmpty()) {
      command = command(OperatorAction.COMPLETE, s.waitingManualSteps().get(0).id());
    } else if (s.state() == RunbookState.SOAKING && s.soak() != null) {
      command = command(OperatorAction.END_SOAK, s.soak().id());
    }
    if (command != null) {
      stub.update(RunbookControls.OPERATE, OperatorReply.class, command);
    }
  }

  private static OperatorCommand command(OperatorAction action, String target) {
    return new OperatorCommand(
        action, new OperatorInput(target, RoadmapRun.OPERATOR, "crash and resume", null));
  }

  /** True once the journal holds a call the step made: it has begun to change the world. */
  private static boolean journalReached(Path state, String step) throws IOException {
    return Files.exists(state)
        && Files.readString(state).contains("{\"step\":\"" + step + "\",\"compensation\":false");
  }

  private static Process worker(int port, Path state, Path plan, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            "io.ferry.worker.WorkerMain",
            "--fleet",
            "sim",
            "--sim-state",
            state.toString(),
            "--seed",
            plan.toString(),
            "--address",
            "localhost:" + port,
            "--metrics-port",
            "0",
            // the test server never moves a dead worker's sticky tasks back to the shared queue
            "--workflow-cache",
            "0")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
