package io.ferry.testing;

import io.ferry.plan.PlanLoader;
import io.ferry.roadmap.Roadmaps;
import io.ferry.roadmap.weaviatefirst.WeaviateFirstPlan;
import io.ferry.runbook.FerrySearchAttributes;
import io.ferry.runbook.OperatorAction;
import io.ferry.runbook.OperatorCommand;
import io.ferry.runbook.OperatorInput;
import io.ferry.runbook.OperatorReply;
import io.ferry.runbook.RunbookControls;
import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** A test Temporal environment with time skipping, the fake activities and the call log. */
public final class Harness implements AutoCloseable {
  public static final String TASK_QUEUE = "ferry-test";

  public final TestWorkflowEnvironment env;
  public final CallLog log;
  public final FakeActivities fakes;

  public Harness(CallLog log, FakeActivities fakes, Class<?>... workflowTypes) {
    this.log = log;
    this.fakes = fakes;
    this.env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder().setWorkerInterceptors(log).build())
                .build());
    FerrySearchAttributes.DEFINITIONS.forEach(env::registerSearchAttribute);
    // heartbeats reach the server at once, so a cancellation reaches a running activity quickly
    Worker worker =
        env.newWorker(
            TASK_QUEUE,
            io.temporal.worker.WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(Duration.ofMillis(50))
                .setDefaultHeartbeatThrottleInterval(Duration.ofMillis(50))
                .build());
    worker.registerWorkflowImplementationTypes(
        workflowTypes.length == 0 ? Roadmaps.workflowImplementations() : workflowTypes);
    worker.registerActivitiesImplementations(fakes);
    env.start();
  }

  public Harness() {
    this(new CallLog(), new FakeActivities());
  }

  public static String examplePlanText() {
    try (InputStream in = Harness.class.getResourceAsStream("/plans/weaviate-first.example.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static WeaviateFirstPlan plan(UnaryOperator<String> edit) {
    return new PlanLoader()
        .load("test plan", edit.apply(examplePlanText()), WeaviateFirstPlan.class);
  }

  public static WeaviateFirstPlan plan() {
    return plan(t -> t);
  }

  public WorkflowStub start(String workflowType, String workflowId, Object plan) {
    WorkflowStub stub =
        env.getWorkflowClient()
            .newUntypedWorkflowStub(
                workflowType,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(TASK_QUEUE)
                    .setWorkflowId(workflowId)
                    .build());
    stub.start(plan);
    return stub;
  }

  public WorkflowStub start(WeaviateFirstPlan plan) {
    return start("WeaviateFirst", plan.workflowId(), plan);
  }

  public RunbookStatus status(WorkflowStub stub) {
    return stub.query("status", RunbookStatus.class);
  }

  public OperatorReply operate(WorkflowStub stub, OperatorAction action, OperatorInput input) {
    return stub.update(
        RunbookControls.OPERATE, OperatorReply.class, new OperatorCommand(action, input));
  }

  /** Polls until the status matches, without unlocking time skipping. */
  public RunbookStatus awaitStatus(WorkflowStub stub, Predicate<RunbookStatus> condition) {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      RunbookStatus status = status(stub);
      if (condition.test(status)) {
        return status;
      }
      sleepBriefly();
    }
    throw new AssertionError("status never matched; last: " + status(stub));
  }

  /**
   * Plays a cooperative operator: approves gates, completes manual steps, lets soaks pass, until
   * the migration ends or {@code stopWhen} matches.
   */
  public RunbookStatus drive(WorkflowStub stub, Predicate<RunbookStatus> stopWhen) {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      RunbookStatus status = status(stub);
      if (status.state().isFinal() || stopWhen.test(status)) {
        return status;
      }
      if (!status.pendingGates().isEmpty()) {
        stub.signal(
            "approve",
            OperatorInput.on(status.pendingGates().get(0).id(), "test operator", "looks good"));
      } else if (!status.waitingManualSteps().isEmpty()) {
        stub.signal(
            "complete",
            OperatorInput.on(status.waitingManualSteps().get(0).id(), "test operator", null));
      } else if (status.state() == RunbookState.SOAKING && status.soak() != null) {
        Duration left =
            Duration.between(Instant.ofEpochMilli(env.currentTimeMillis()), status.soak().endsAt());
        env.sleep(left.isNegative() ? Duration.ofSeconds(1) : left.plusSeconds(1));
      } else {
        sleepBriefly();
      }
    }
    throw new AssertionError("migration did not end; last: " + status(stub));
  }

  public RunbookResult driveToEnd(WorkflowStub stub) {
    drive(stub, s -> false);
    return stub.getResult(RunbookResult.class);
  }

  private static void sleepBriefly() {
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
