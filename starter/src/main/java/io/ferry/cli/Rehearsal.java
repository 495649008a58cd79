package io.ferry.cli;

import io.ferry.activities.notify.NotifySettings;
import io.ferry.activities.sim.Ledger;
import io.ferry.activities.sim.Resource;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.plan.Durations;
import io.ferry.roadmap.Roadmap;
import io.ferry.runbook.FerrySearchAttributes;
import io.ferry.runbook.MigrationMemo;
import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.worker.ExitCodes;
import io.ferry.worker.FerryWorker;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One rehearsal: the roadmap's workflow on a time-skipping test server, driven by polling its
 * status. It never blocks on the result while the workflow waits for a person, because a blocked
 * {@code getResult} lets the test server skip time to a gate's timeout. Instead it answers gates,
 * manual steps and parked failures itself (or asks), and skips time only through soaks, the
 * workflow's own timed waits once nothing runs, and retry back-offs ({@link TimeSkipper}).
 */
final class Rehearsal {
  static final String REHEARSAL_OPERATOR = "rehearsal (auto)";
  private static final Duration POLL = Duration.ofMillis(5);

  private final Roadmap roadmap;
  private final PlanFiles.Loaded plan;
  private final SimulatedFleet fleet;
  private final String failAt;

  /** How often a long step says it is still running. */
  static final Duration PROGRESS_EVERY = Duration.ofSeconds(3);

  private final Prompter prompter;
  private final RehearsalOperator operator;
  private final PrintWriter out;
  private final RehearsalLog log;
  private final Duration timeout;
  private NotifySettings notify = NotifySettings.none();

  private final String startedBy = OperatorCommands.defaultOperator();

  Rehearsal(
      Roadmap roadmap,
      PlanFiles.Loaded plan,
      SimulatedFleet fleet,
      String failAt,
      Prompter prompter,
      PrintWriter out,
      Duration timeout) {
    this.roadmap = roadmap;
    this.plan = plan;
    this.fleet = fleet;
    this.failAt = failAt;
    this.prompter = prompter;
    this.out = out;
    this.timeout = timeout;
    this.operator = new RehearsalOperator(prompter, out);
    this.log = new RehearsalLog(roadmap, out);
  }

  /** Where the rehearsal's notifications go (its {@code --notify} endpoints). */
  Rehearsal notifying(NotifySettings settings) {
    this.notify = settings;
    return this;
  }

  int run() throws InterruptedException {
    long wallStart = System.nanoTime();
    try (TestWorkflowEnvironment env = environment(fleet)) {
      return run(env, wallStart);
    }
  }

  /** A time-skipping test server whose workers run activities on {@code fleet}. */
  static TestWorkflowEnvironment environment(SimulatedFleet fleet) {
    return TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder()
            .setWorkerFactoryOptions(FerryWorker.factoryOptions(fleet))
            .setUseTimeskipping(true)
            .build());
  }

  /**
   * Rehearses on {@code env}, which the caller closes (and may read the history of first); the
   * printed wall time counts from {@code wallStart}, a {@link System#nanoTime()}.
   */
  int run(TestWorkflowEnvironment env, long wallStart) throws InterruptedException {
    Ledger ledger = fleet.ledger();
    Map<String, Resource> before = ledger.snapshot();
    ledger.addListener(log::changed);
    FerrySearchAttributes.DEFINITIONS.forEach(env::registerSearchAttribute);
    FerryWorker.register(
        env.getWorkerFactory(),
        FerryWorker.TASK_QUEUE,
        WorkerOptions.getDefaultInstance(),
        fleet,
        notify);
    env.start();
    out.printf(
        "rehearsing %s with %s on a simulated fleet (%d resources); %s%s%n",
        roadmap.id(),
        plan.source(),
        before.size(),
        prompter == null ? "gates approved automatically" : "you decide at gates",
        failAt == null ? "" : "; step " + failAt + " will fail after its effect");
    WorkflowClient client = env.getWorkflowClient();
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            roadmap.workflowType(),
            WorkflowOptions.newBuilder()
                .setWorkflowId(plan.plan().workflowId())
                .setTaskQueue(FerryWorker.TASK_QUEUE)
                .setMemo(Map.of(MigrationMemo.STARTED_BY, startedBy))
                .build());
    stub.start(plan.plan());
    out.printf("started by %s%n", startedBy);
    long workflowStart = env.currentTimeMillis();
    RunbookStatus status = drive(env, client, stub, wallStart);
    RunbookResult result = result(stub);
    if (result != null && result.status() != null) {
      status = result.status();
      log.report(status);
    }
    Duration workflowTime =
        status.startedAt() == null || status.updatedAt() == null
            ? Duration.ofMillis(env.currentTimeMillis() - workflowStart)
            : Duration.between(status.startedAt(), status.updatedAt());
    Duration wallTime = Duration.ofNanos(System.nanoTime() - wallStart);
    log.summarize(status, workflowTime, wallTime);
    return verdict(status, before, ledger.snapshot());
  }

  /**
   * Polls the status and answers what waits for a person, until the migration ends. Time moves on
   * only where the workflow is idle: to its published next wake-up, or over a retry back-off.
   */
  private RunbookStatus drive(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowStub stub, long wallStart)
      throws InterruptedException {
    String workflowId = stub.getExecution().getWorkflowId();
    TimeSkipper skipper = new TimeSkipper(env, client, workflowId);
    StepProgress progress = new StepProgress(PROGRESS_EVERY, System::nanoTime);
    RunbookStatus previous = null;
    while (true) {
      if (System.nanoTime() - wallStart > timeout.toNanos()) {
        throw new CliFailure(
            ExitCodes.SOFTWARE,
            "the rehearsal did not finish within "
                + Durations.format(timeout)
                + " of wall time"
                + (previous == null
                    ? ""
                    : "; it was " + previous.state().wireName() + " at " + previous.currentStep()));
      }
      RunbookStatus status = query(stub);
      if (status == null) {
        Thread.sleep(POLL.toMillis());
        continue;
      }
      log.report(status);
      if (status.state() != null && status.state().isFinal()) {
        return status;
      }
      progress
          .see(status)
          .ifPresent(
              line -> {
                out.println(line);
                out.flush();
              });
      boolean unchanged = status.equals(previous);
      previous = status;
      if (operator.act(env, client, workflowId, status) || skipper.toNextWake(status)) {
        continue;
      }
      // a step that stays as it was for two polls may be an activity waiting to retry
      if (unchanged && skipper.overRetryBackoff()) {
        continue;
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** The status, or null before the workflow has answered its first task. */
  private RunbookStatus query(WorkflowStub stub) {
    try {
      return stub.query(Migrations.STATUS_QUERY, RunbookStatus.class);
    } catch (WorkflowException e) {
      WorkflowExecutionStatus state = stub.describe().getStatus();
      if (state != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        result(stub);
        throw new CliFailure(
            ExitCodes.SOFTWARE,
            "the workflow ended " + ListCommand.statusName(state) + ": " + FerryCli.oneLine(e),
            e);
      }
      throw e;
    }
  }

  private RunbookResult result(WorkflowStub stub) {
    try {
      return stub.getResult(30, TimeUnit.SECONDS, RunbookResult.class);
    } catch (java.util.concurrent.TimeoutException e) {
      return null;
    } catch (WorkflowException e) {
      throw new CliFailure(ExitCodes.SOFTWARE, "the workflow failed: " + FerryCli.oneLine(e), e);
    }
  }

  /**
   * The exit code. Whenever the migration rolled back (an injected fault, a rejected gate, a knob
   * that fails a check), the ledger is compared with where it began, so a rejected rehearsal shows
   * the undo too; without {@code --fail-at} a rollback is still "not completed".
   */
  private int verdict(RunbookStatus s, Map<String, Resource> before, Map<String, Resource> after) {
    if (failAt == null) {
      if (s.state() == RunbookState.COMPLETED) {
        return ExitCodes.OK;
      }
      if (s.state() != RunbookState.ROLLED_BACK) {
        return ExitCodes.MIGRATION_NOT_COMPLETED;
      }
      return ledgerCheck(before, after) == ExitCodes.OK
          ? ExitCodes.MIGRATION_NOT_COMPLETED
          : ExitCodes.LEDGER_MISMATCH;
    }
    if (s.state() == RunbookState.COMPLETED) {
      out.printf("the fault at %s never fired: the step did not run%n", failAt);
    }
    return ledgerCheck(before, after);
  }

  private int ledgerCheck(Map<String, Resource> before, Map<String, Resource> after) {
    List<String> differences = Ledger.differences(before, after, true);
    if (differences.isEmpty()) {
      List<String> retained =
          after.values().stream()
              .filter(Resource::retained)
              .map(r -> r.kind() + " " + r.id())
              .sorted()
              .toList();
      out.printf(
          "ledger is back at its starting state (%d resources; retained: %s)%n",
          before.size(), retained.isEmpty() ? "none" : String.join(", ", retained));
      out.flush();
      return ExitCodes.OK;
    }
    out.printf("ledger differs from its starting state (%d differences):%n", differences.size());
    differences.forEach(d -> out.println("  " + d));
    out.flush();
    return ExitCodes.LEDGER_MISMATCH;
  }
}
