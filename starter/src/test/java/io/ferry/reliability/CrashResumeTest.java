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
import io.ferry.runbook.GateStatus;
import io.ferry.runbook.OperatorAction;
import io.ferry.runbook.OperatorCommand;
import io.ferry.runbook.OperatorInput;
import io.ferry.runbook.OperatorReply;
import io.ferry.runbook.RunbookControls;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.testing.Harness;
import io.ferry.testing.PortBoundTemporal;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.ActivityTaskStartedEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Crash and resume: the embedded Temporal server runs in this process, the worker ({@code ferry
 * worker --fleet sim --sim-state FILE}) in another, which is killed with SIGKILL in the middle of a
 * chosen step, right after that step's n-th call to the world. A new worker starts at once, replays
 * the fleet's journal and carries on once the server has noticed the dead worker's activity (its
 * heartbeat timeout, in real time: 30 s, or a minute for a long-running step). The migration
 * completes, and the world equals an uninterrupted run's, so nothing was made twice.
 *
 * <p>Runs with {@code ./mvnw -B verify -Pcrash-resume}; {@code .ci/run} runs it. Trials per
 * roadmap: the memory migration where a roadmap has one (killed halfway through its calls), and
 * {@code -Dferry.crashSteps=N} (default 2) further steps and calls chosen by a seeded random
 * ({@code -Dferry.crashSeed=S} repeats a run; {@code -Dferry.crashAt=roadmap:step:call} runs one
 * trial). Each trial's plan, journal and worker logs stay in {@code starter/target/crash-resume}.
 *
 * <p>Gates are approved, manual steps completed and soaks ended early; retry back-offs and durable
 * timers are skipped on the server's clock ({@link ServerClock}).
 */
@EnabledIfSystemProperty(named = "ferry.crashResume", matches = "true")
class CrashResumeTest {

  static final String MIGRATION_STEP = "migrate-memory";
  private static final long SEED = Long.getLong("ferry.crashSeed", System.currentTimeMillis());
  private static final int RANDOM_STEPS = Integer.getInteger("ferry.crashSteps", 2);
  private static final Duration LIMIT = Duration.ofMinutes(3);
  private static final AtomicInteger RUN = new AtomicInteger();
  private static final AtomicInteger PASSED = new AtomicInteger();
  private static final Map<String, Map<String, Integer>> CALLS = new ConcurrentHashMap<>();

  /** Each trial's plan, journal and worker logs, kept after the run as the evidence. */
  private static final Path dir = Path.of("target", "crash-resume");

  /** Where to kill: right after the step's {@code call}-th call to the world has been recorded. */
  record KillPoint(String step, int call, int of) {
    @Override
    public String toString() {
      return step + ", after call " + call + " of " + of;
    }
  }

  @TestFactory
  Stream<DynamicTest> everyRoadmap_workerKilledInAStep_resumesWithoutDuplicates()
      throws IOException {
    Files.createDirectories(dir);
    System.out.printf(
        "crash and resume: random seed %d (repeat with -Dferry.crashSeed=%d)%n", SEED, SEED);
    Random random = new Random(SEED);
    List<DynamicTest> trials = new ArrayList<>();
    for (Roadmap roadmap : Examples.registered()) {
      Map<String, Integer> calls = new LinkedHashMap<>(callsPerStep(roadmap));
      List<KillPoint> chosen = new ArrayList<>();
      Integer migration = calls.remove(MIGRATION_STEP);
      if (migration != null) {
        chosen.add(new KillPoint(MIGRATION_STEP, Math.max(1, migration / 2), migration));
      }
      List<String> steps = new ArrayList<>(calls.keySet());
      for (int i = 0; i < RANDOM_STEPS && !steps.isEmpty(); i++) {
        String step = steps.remove(random.nextInt(steps.size()));
        int of = calls.get(step);
        chosen.add(new KillPoint(step, 1 + random.nextInt(of), of));
      }
      String only = System.getProperty("ferry.crashAt"); // roadmap:step:call repeats one trial
      if (only != null) {
        String[] at = only.split(":");
        if (!at[0].equals(roadmap.id())) {
          continue;
        }
        chosen =
            List.of(
                new KillPoint(at[1], Integer.parseInt(at[2]), callsPerStep(roadmap).get(at[1])));
      }
      for (KillPoint kill : chosen) {
        trials.add(
            DynamicTest.dynamicTest(
                roadmap.id() + ": kill the worker in " + kill, () -> trial(roadmap, kill)));
      }
    }
    return trials.stream();
  }

  @AfterAll
  static void printCounts() {
    System.out.printf("crash and resume: %d trials run, %d passed%n", RUN.get(), PASSED.get());
  }

  /**
   * How many calls to the world each step makes in an uninterrupted run of the example plan (steps
   * that make none, like gates and soaks, change nothing a crash could tear).
   */
  private static Map<String, Integer> callsPerStep(Roadmap roadmap) {
    return CALLS.computeIfAbsent(
        roadmap.id(),
        id -> {
          try {
            Path journal = Files.createTempDirectory(dir, id + "-uninterrupted").resolve("j.jsonl");
            Plan plan = Examples.plan(roadmap);
            SimulatedFleet fleet =
                new SimulatedFleet(
                    FaultPlan.none(), SecretResolver.standIns(), PortJournal.at(journal));
            fleet.seed(plan);
            fleet.resume();
            try (RoadmapRun run = new RoadmapRun(roadmap, plan, fleet)) {
              run.start();
              assertThat(run.driveToEnd().state()).isEqualTo(RunbookState.COMPLETED);
            }
            assertThat(
                    Ledger.differences(
                        Baseline.of(roadmap).after(), fleet.ledger().snapshot(), false))
                .as("%s: a journaled run ends where an unjournaled one does", id)
                .isEmpty();
            return JournalWatch.callsPerStep(journal);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  private void trial(Roadmap roadmap, KillPoint kill) throws Exception {
    RUN.incrementAndGet();
    long wallStart = System.nanoTime();
    Path trialDir = Files.createTempDirectory(dir, roadmap.id());
    Path planFile = trialDir.resolve("plan.yaml");
    Files.writeString(planFile, Examples.planText(roadmap), StandardCharsets.UTF_8);
    Path logConfig = trialDir.resolve("logback.xml");
    Files.writeString(logConfig, WORKER_LOGGING, StandardCharsets.UTF_8);
    Path state = trialDir.resolve("sim-state.jsonl");
    Plan plan = Examples.plan(roadmap);
    PortBoundTemporal temporal = new PortBoundTemporal("localhost");
    int port = temporal.port;
    WorkflowClient client = temporal.client;
    ServerClock clock = new ServerClock(port);
    List<Process> workers = new CopyOnWriteArrayList<>();
    AtomicReference<JournalWatch.LastCall> lastCall = new AtomicReference<>();
    try (JournalWatch watch = new JournalWatch(state, kill.step(), kill.call())) {
      Process first = worker(port, state, planFile, logConfig, trialDir.resolve("worker-1.log"));
      workers.add(first);
      watch.onReached(
          () -> {
            try {
              first.destroyForcibly(); // SIGKILL, the moment the journal shows the call
              first.waitFor(10, TimeUnit.SECONDS);
              lastCall.set(JournalWatch.lastCall(state));
              System.out.printf(
                  "%s: SIGKILLed worker pid %d in %s (its last recorded call: %s); starting"
                      + " another%n",
                  roadmap.id(), first.pid(), kill, lastCall.get());
              workers.add(
                  worker(port, state, planFile, logConfig, trialDir.resolve("worker-2.log")));
            } catch (IOException | InterruptedException e) {
              throw new IllegalStateException("could not replace the killed worker", e);
            }
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
                  + "; killed: "
                  + (lastCall.get() != null)
                  + "; last status: "
                  + status
                  + "\nworker logs in "
                  + trialDir);
        }
        try {
          status = stub.query("status", RunbookStatus.class);
          if (status.state().isFinal() || status.state() == RunbookState.AWAITING_DECISION) {
            break;
          }
          if (!answer(stub, status)) {
            clock.skipWaits(client, plan.workflowId());
          }
        } catch (WorkflowServiceException noWorkerYet) {
          // a query or update needs a worker: the new one is starting and replaying the journal
          Thread.sleep(100);
        }
        Thread.sleep(10);
      }
      assertThat(lastCall.get())
          .as("the worker was killed in %s; logs in %s", kill, trialDir)
          .isNotNull();
      assertThat(lastCall.get().step()).as("the step the kill landed in").isEqualTo(kill.step());
      assertThat(status.state())
          .as("%s; logs in %s", status, trialDir)
          .isEqualTo(RunbookState.COMPLETED);
      // nothing fails in these workers: an activity's second attempt means the server timed out
      // the killed worker's attempt
      ActivityTaskStartedEventAttributes retried =
          retriedOn(client, plan.workflowId(), workers.get(1).pid() + "@");
      assertThat(retried)
          .as(
              "the killed worker's activity, timed out and run again by the new one; logs in %s",
              trialDir)
          .isNotNull();
      // the world the workers left, rebuilt from the journal as a third worker would see it
      SimulatedFleet rebuilt =
          new SimulatedFleet(FaultPlan.none(), SecretResolver.standIns(), PortJournal.at(state));
      rebuilt.seed(plan);
      int replayed = rebuilt.resume();
      Map<String, Resource> after = rebuilt.ledger().snapshot();
      assertThat(Ledger.differences(Baseline.of(roadmap).after(), after, false))
          .as("the world after a crash in %s against an uninterrupted run", kill)
          .isEmpty();
      System.out.printf(
          "%s: crash in %s: the server timed out the killed attempt and attempt %d ran on the new"
              + " worker; completed; %d calls to the world in all; %d resources, equal to an"
              + " uninterrupted run's; %s of the server's clock skipped; %.1fs wall time%n",
          roadmap.id(),
          kill,
          retried.getAttempt(),
          replayed,
          after.size(),
          clock.skipped(),
          (System.nanoTime() - wallStart) / 1e9);
      PASSED.incrementAndGet();
    } finally {
      for (Process p : workers) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      clock.close();
      temporal.close();
    }
  }

  /**
   * The first activity attempt after a first one that ran on {@code identity}'s worker, or null.
   */
  private static ActivityTaskStartedEventAttributes retriedOn(
      WorkflowClient client, String workflowId, String identity) {
    return client.fetchHistory(workflowId).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
        .map(HistoryEvent::getActivityTaskStartedEventAttributes)
        .filter(a -> a.getAttempt() > 1 && a.getIdentity().startsWith(identity))
        .findFirst()
        .orElse(null);
  }

  /**
   * Approves gates, completes manual steps and ends soaks early (real time cannot wait a week);
   * true if it did.
   */
  static boolean answer(WorkflowStub stub, RunbookStatus s) {
    OperatorCommand command = null;
    if (!s.pendingGates().isEmpty()) {
      GateStatus gate = s.pendingGates().get(0);
      // a gate that needs several distinct approvers gets each from another name
      int n = gate.approvals().size();
      command =
          new OperatorCommand(
              OperatorAction.APPROVE,
              new OperatorInput(
                  gate.id(),
                  n == 0
                      ? RoadmapRun.OPERATOR
                      : RoadmapRun.OPERATOR + " (approver " + (n + 1) + ")",
                  "crash and resume",
                  null));
    } else if (!s.waitingManualSteps().isEmpty()) {
      command = command(OperatorAction.COMPLETE, s.waitingManualSteps().get(0).id());
    } else if (s.state() == RunbookState.SOAKING && s.soak() != null) {
      command = command(OperatorAction.END_SOAK, s.soak().id());
    }
    if (command == null) {
      return false;
    }
    stub.update(RunbookControls.OPERATE, OperatorReply.class, command);
    return true;
  }

  private static OperatorCommand command(OperatorAction action, String target) {
    return new OperatorCommand(
        action, new OperatorInput(target, RoadmapRun.OPERATOR, "crash and resume", null));
  }

  /** The worker's own logging, at INFO for Ferry, into its log file. */
  static final String WORKER_LOGGING =
      """
      <configuration>
        <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
          <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
        </appender>
        <logger name="io.ferry" level="INFO"/>
        <root level="WARN"><appender-ref ref="OUT"/></root>
      </configuration>
      """;

  static Process worker(int port, Path state, Path plan, Path logConfig, Path log)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-Dlogback.configurationFile=" + logConfig,
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
}
