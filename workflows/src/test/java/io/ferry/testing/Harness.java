package io.ferry.testing;

import io.ferry.plan.Plan;
import io.ferry.plan.PlanLoader;
import io.ferry.roadmap.Roadmap;
import io.ferry.roadmap.Roadmaps;
import io.ferry.runbook.FerrySearchAttributes;
import io.ferry.runbook.GateStatus;
import io.ferry.runbook.OperatorAction;
import io.ferry.runbook.OperatorCommand;
import io.ferry.runbook.OperatorInput;
import io.ferry.runbook.OperatorReply;
import io.ferry.runbook.RunbookControls;
import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepStatus;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Roadmap workflows on a time-skipping Temporal test server, with the given activity
 * implementations (fakes, a fleet's) behind the given interceptors and a {@link CallLog}; and a
 * cooperative operator that approves gates, completes manual steps and lets soaks, timers and retry
 * back-offs pass, knowing nothing of the roadmap but its status.
 */
public final class Harness implements AutoCloseable {
  public static final String TASK_QUEUE = "ferry-test";
  public static final String OPERATOR = "test operator";

  /**
   * Where every run's workflow clock starts: noon UTC of the day after this JVM started. Roadmaps
   * put the run's date into names (archives, tenants), so runs compared with each other must start
   * on the same day, however near midnight the build runs; noon leaves half a day either way, and a
   * port-bound server can still move its clock forward to it ({@code ServerClock.skipTo}).
   */
  public static final Instant START =
      LocalDate.now(ZoneOffset.UTC).plusDays(1).atTime(LocalTime.NOON).toInstant(ZoneOffset.UTC);

  public final TestWorkflowEnvironment env;
  public final CallLog log;
  private String operator = OPERATOR;
  private Duration patience = Duration.ofSeconds(90);

  /**
   * The workflows of {@code workflowTypes} (every registered roadmap's when none) on one worker,
   * with {@code activities} behind {@code interceptors}; the log sees every call last.
   */
  public Harness(
      CallLog log,
      List<?> activities,
      List<? extends WorkerInterceptor> interceptors,
      Class<?>... workflowTypes) {
    this.log = log;
    List<WorkerInterceptor> chain = new ArrayList<>(interceptors);
    chain.add(log);
    this.env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(chain.toArray(WorkerInterceptor[]::new))
                        .build())
                .setUseTimeskipping(true)
                .setInitialTime(START)
                .build());
    FerrySearchAttributes.DEFINITIONS.forEach(env::registerSearchAttribute);
    // heartbeats reach the server at once, so a cancellation reaches a running activity quickly
    Worker worker =
        env.newWorker(
            TASK_QUEUE,
            WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(Duration.ofMillis(50))
                .setDefaultHeartbeatThrottleInterval(Duration.ofMillis(50))
                .build());
    worker.registerWorkflowImplementationTypes(
        workflowTypes.length == 0 ? Roadmaps.workflowImplementations() : workflowTypes);
    worker.registerActivitiesImplementations(activities.toArray());
    env.start();
  }

  /** The fake activities. */
  public Harness(CallLog log, FakeActivities fakes, Class<?>... workflowTypes) {
    this(log, List.of(fakes), List.of(), workflowTypes);
  }

  public Harness() {
    this(new CallLog(), new FakeActivities());
  }

  /** Who the cooperative operator says it is. */
  public Harness operatorNamed(String name) {
    this.operator = name;
    return this;
  }

  /** How long, in wall time, a drive may take before the test fails. */
  public Harness patience(Duration wallTime) {
    this.patience = wallTime;
    return this;
  }

  // ------------------------------------------------------------------------------------- plans

  public static Roadmap roadmap(String id) {
    return Roadmaps.all().stream()
        .filter(r -> r.id().equals(id))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no roadmap " + id + "; registered: " + Roadmaps.ids()));
  }

  public static String examplePlanText(Roadmap roadmap) {
    try (InputStream in = Roadmap.class.getResourceAsStream(roadmap.examplePlan())) {
      if (in == null) {
        throw new AssertionError(
            roadmap.id() + ": example plan " + roadmap.examplePlan() + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The roadmap's example plan after {@code edit} of its text. */
  public static Plan examplePlan(Roadmap roadmap, UnaryOperator<String> edit) {
    return new PlanLoader()
        .load(roadmap.examplePlan(), edit.apply(examplePlanText(roadmap)), roadmap.planType());
  }

  public static Plan examplePlan(Roadmap roadmap) {
    return examplePlan(roadmap, text -> text);
  }

  // ------------------------------------------------------------------------------ one workflow

  public WorkflowStub start(String workflowType, String workflowId, Object plan) {
    return start(workflowType, workflowId, plan, Map.of());
  }

  /** Starts with a memo, as {@code ferry start} records who started the migration. */
  public WorkflowStub start(
      String workflowType, String workflowId, Object plan, Map<String, Object> memo) {
    WorkflowStub stub =
        env.getWorkflowClient()
            .newUntypedWorkflowStub(
                workflowType,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(TASK_QUEUE)
                    .setWorkflowId(workflowId)
                    .setMemo(memo)
                    .build());
    stub.start(plan);
    return stub;
  }

  /** Starts the plan's roadmap's workflow. */
  public WorkflowStub start(Plan plan) {
    return start(roadmap(plan.roadmap()).workflowType(), plan.workflowId(), plan);
  }

  public RunbookStatus status(WorkflowStub stub) {
    return stub.query("status", RunbookStatus.class);
  }

  /** An operator request through the {@code operate} update, as the CLI sends it. */
  public OperatorReply operate(WorkflowStub stub, OperatorAction action, OperatorInput input) {
    return stub.update(
        RunbookControls.OPERATE, OperatorReply.class, new OperatorCommand(action, input));
  }

  /** The refusal message of a request the update's validator rejects, or null if it applied. */
  public String refusal(WorkflowStub stub, OperatorAction action, OperatorInput input) {
    try {
      operate(stub, action, input);
      return null;
    } catch (WorkflowUpdateException e) {
      Throwable cause = e.getCause();
      return cause instanceof ApplicationFailure app
          ? app.getOriginalMessage()
          : String.valueOf(cause == null ? e.getMessage() : cause.getMessage());
    }
  }

  /** Polls until the status matches, without unlocking time skipping. */
  public RunbookStatus awaitStatus(WorkflowStub stub, Predicate<RunbookStatus> condition) {
    Instant deadline = Instant.now().plus(patience);
    while (Instant.now().isBefore(deadline)) {
      RunbookStatus status = status(stub);
      if (condition.test(status)) {
        return status;
      }
      pause();
    }
    throw new AssertionError("status never matched; last: " + status(stub));
  }

  /**
   * Plays the cooperative operator until the migration ends, it parks on a failure (a decision is
   * the caller's), or {@code stopWhen} matches.
   */
  public RunbookStatus drive(WorkflowStub stub, Predicate<RunbookStatus> stopWhen) {
    long wallStart = System.nanoTime();
    RunbookStatus previous = null;
    while (System.nanoTime() - wallStart < patience.toNanos()) {
      RunbookStatus s = status(stub);
      if (s.state().isFinal() || s.state() == RunbookState.AWAITING_DECISION || stopWhen.test(s)) {
        return s;
      }
      boolean unchanged = s.equals(previous);
      previous = s;
      if (answer(stub, s) || skipToNextWake(stub, s)) {
        continue;
      }
      // a step that stays as it was for two polls may be an activity waiting to retry
      if (unchanged && skipRetryBackoff(stub)) {
        continue;
      }
      pause();
    }
    throw new AssertionError(
        "the migration did not end within " + patience + "; last: " + status(stub));
  }

  /** Drives to the end and returns the result; fails if the migration parked instead. */
  public RunbookResult driveToEnd(WorkflowStub stub) {
    RunbookStatus end = drive(stub, s -> false);
    if (!end.state().isFinal()) {
      throw new AssertionError("the migration waits for a decision: " + end);
    }
    return stub.getResult(RunbookResult.class);
  }

  /** The workflow's whole history, as the Web UI and {@code temporal workflow show} see it. */
  public String historyJson(WorkflowStub stub) {
    return env.getWorkflowClient().fetchHistory(stub.getExecution().getWorkflowId()).toJson(true);
  }

  /**
   * The cooperative operator's next approval of {@code gate}: as itself first, then as as many
   * colleagues as the gate's quorum needs, with a comment where the policy asks for one.
   */
  private OperatorInput approval(GateStatus gate) {
    int n = gate.approvals().size();
    String who = n == 0 ? operator : operator + " (approver " + (n + 1) + ")";
    return OperatorInput.on(gate.id(), who, gate.policy() == null ? null : "approved in the test");
  }

  /** Approves a pending gate, completes a waiting manual step, or lets a soak pass; true if so. */
  private boolean answer(WorkflowStub stub, RunbookStatus s) {
    switch (s.state()) {
      case AWAITING_APPROVAL -> {
        for (GateStatus gate : s.pendingGates()) {
          operate(stub, OperatorAction.APPROVE, approval(gate));
          return true;
        }
      }
      case AWAITING_MANUAL_STEP -> {
        for (StepStatus step : s.waitingManualSteps()) {
          operate(stub, OperatorAction.COMPLETE, OperatorInput.on(step.id(), operator, null));
          return true;
        }
      }
      case PAUSED -> {
        operate(stub, OperatorAction.RESUME, OperatorInput.by(operator));
        return true;
      }
      case SOAKING -> {
        if (s.soak() != null) {
          Duration left =
              Duration.between(Instant.ofEpochMilli(env.currentTimeMillis()), s.soak().endsAt());
          if (!left.isNegative() && !left.isZero()) {
            env.sleep(left.plusMillis(1));
            return true;
          }
        }
      }
      default -> {
        // running or rolling back: nothing to answer
      }
    }
    return false;
  }

  /**
   * A workflow idle in one of its own timed waits (a monitor round's interval) would hold the run
   * in real time (the test server skips time only while a client awaits a result): skip to the
   * wake-up it publishes, never while an activity is in flight. True if it skipped.
   */
  private boolean skipToNextWake(WorkflowStub stub, RunbookStatus s) {
    if (s.nextWakeAt() == null
        || (s.state() != RunbookState.RUNNING && s.state() != RunbookState.ROLLING_BACK)
        || !stub.describe().getRawDescription().getPendingActivitiesList().isEmpty()) {
      return false;
    }
    long now = env.currentTimeMillis();
    long wake = s.nextWakeAt().toEpochMilli();
    // the server starts the timer a moment after the workflow read its clock: catch up in steps
    env.sleep(Duration.ofMillis(wake > now ? wake - now + 1 : 1));
    return true;
  }

  /**
   * An activity waiting out a retry back-off would hold the run in real time; the test server does
   * not say when the next attempt is due, so skip ahead a second at a time. True if it skipped.
   */
  private boolean skipRetryBackoff(WorkflowStub stub) {
    List<PendingActivityInfo> pending =
        stub.describe().getRawDescription().getPendingActivitiesList();
    if (pending.stream().anyMatch(PendingActivities::backingOff)) {
      env.sleep(Duration.ofSeconds(1));
      return true;
    }
    return false;
  }

  private static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    env.close();
  }
}
