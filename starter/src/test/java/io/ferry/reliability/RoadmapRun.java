package io.ferry.reliability;

import io.ferry.activities.Fleet;
import io.ferry.plan.Plan;
import io.ferry.roadmap.Roadmap;
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
import io.ferry.worker.FerryWorker;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Any registered roadmap's real workflow, on a time-skipping test server, against any {@link Fleet}
 * (the simulated one, or real adapters' stand-ins): a cooperative operator approves its gates,
 * completes its manual steps and lets its soaks pass, knowing nothing of the roadmap but its
 * status. {@link StepCalls} learns which steps and compensations actually ran.
 */
final class RoadmapRun implements AutoCloseable {
  static final String OPERATOR = "reliability harness";
  private static final Duration WALL_LIMIT = Duration.ofSeconds(90);
  private static final Duration IDLE_BEFORE_SKIPPING = Duration.ofMillis(50);

  final Roadmap roadmap;
  final Plan plan;
  final TestWorkflowEnvironment env;
  final StepCalls calls = new StepCalls();
  private WorkflowStub stub;

  RoadmapRun(Roadmap roadmap, Plan plan, Fleet fleet) {
    this.roadmap = roadmap;
    this.plan = plan;
    List<WorkerInterceptor> interceptors = new ArrayList<>(fleet.interceptors());
    interceptors.add(calls);
    this.env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(interceptors.toArray(WorkerInterceptor[]::new))
                        .build())
                .setUseTimeskipping(true)
                .build());
    FerrySearchAttributes.DEFINITIONS.forEach(env::registerSearchAttribute);
    FerryWorker.register(env.getWorkerFactory(), FerryWorker.TASK_QUEUE, fleet);
    env.start();
  }

  WorkflowStub start() {
    stub =
        env.getWorkflowClient()
            .newUntypedWorkflowStub(
                roadmap.workflowType(),
                WorkflowOptions.newBuilder()
                    .setWorkflowId(plan.workflowId())
                    .setTaskQueue(FerryWorker.TASK_QUEUE)
                    .build());
    stub.start(plan);
    return stub;
  }

  RunbookStatus status() {
    return stub.query("status", RunbookStatus.class);
  }

  OperatorReply operate(OperatorAction action, String target) {
    return stub.update(
        RunbookControls.OPERATE,
        OperatorReply.class,
        new OperatorCommand(action, new OperatorInput(target, OPERATOR, null, null)));
  }

  /** The refusal message of a request the update's validator rejects, or null if it applied. */
  String refusal(OperatorAction action, String target) {
    try {
      operate(action, target);
      return null;
    } catch (WorkflowUpdateException e) {
      Throwable cause = e.getCause();
      return cause instanceof io.temporal.failure.ApplicationFailure app
          ? app.getOriginalMessage()
          : String.valueOf(cause == null ? e.getMessage() : cause.getMessage());
    }
  }

  /**
   * Plays the operator until the migration ends, it parks on a failure (a decision is the
   * caller's), or {@code stopWhen} matches.
   */
  RunbookStatus drive(Predicate<RunbookStatus> stopWhen) {
    long wallStart = System.nanoTime();
    long idleSince = System.nanoTime();
    RunbookStatus previous = null;
    while (System.nanoTime() - wallStart < WALL_LIMIT.toNanos()) {
      RunbookStatus s = status();
      if (s.state().isFinal() || s.state() == RunbookState.AWAITING_DECISION || stopWhen.test(s)) {
        return s;
      }
      if (!s.equals(previous)) {
        idleSince = System.nanoTime();
      }
      previous = s;
      if (answer(s)) {
        idleSince = System.nanoTime();
        continue;
      }
      if (System.nanoTime() - idleSince > IDLE_BEFORE_SKIPPING.toNanos()) {
        skipRetryBackoff();
        idleSince = System.nanoTime();
      }
      pause();
    }
    throw new AssertionError(
        roadmap.id() + ": the migration did not end within " + WALL_LIMIT + "; last: " + status());
  }

  RunbookStatus driveToEnd() {
    return drive(s -> false);
  }

  /** The final result; call once the status is final. */
  RunbookResult result() {
    return stub.getResult(RunbookResult.class);
  }

  /** The workflow's whole history, as the Web UI and {@code temporal workflow show} see it. */
  String historyJson() {
    return env.getWorkflowClient().fetchHistory(plan.workflowId()).toJson(true);
  }

  /** Approves a pending gate, completes a waiting manual step, or lets a soak pass; true if so. */
  private boolean answer(RunbookStatus s) {
    switch (s.state()) {
      case AWAITING_APPROVAL -> {
        for (GateStatus gate : s.pendingGates()) {
          operate(OperatorAction.APPROVE, gate.id());
          return true;
        }
      }
      case AWAITING_MANUAL_STEP -> {
        for (StepStatus step : s.waitingManualSteps()) {
          operate(OperatorAction.COMPLETE, step.id());
          return true;
        }
      }
      case PAUSED -> {
        operate(OperatorAction.RESUME, null);
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
   * An activity waiting out a retry back-off, or a workflow waiting on a durable timer, would hold
   * the run in real time (the test server skips time only while a client awaits a result).
   */
  private void skipRetryBackoff() {
    List<PendingActivityInfo> pending =
        stub.describe().getRawDescription().getPendingActivitiesList();
    long now = env.currentTimeMillis();
    long next = Long.MAX_VALUE;
    boolean backingOff = false;
    for (PendingActivityInfo a : pending) {
      if (a.hasNextAttemptScheduleTime()) {
        long at = ServerClock.millis(a.getNextAttemptScheduleTime());
        if (at > now) {
          next = Math.min(next, at);
        }
      }
      backingOff |= ServerClock.backingOff(a);
    }
    if (next != Long.MAX_VALUE) {
      env.sleep(Duration.ofMillis(next - now + 1));
    } else if (backingOff) {
      // the test server does not say when the next attempt is due: skip ahead a second at a time
      env.sleep(Duration.ofSeconds(1));
    } else if (pending.isEmpty()) {
      // running with nothing in flight: a durable timer (a monitor window's interval) is due
      env.sleep(Duration.ofMinutes(1));
    }
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
