package io.ferry.activities.roadmap;

import io.ferry.activities.sim.FaultPlan;
import io.ferry.activities.sim.Resource;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.plan.PlanLoader;
import io.ferry.roadmap.appplatform.AppPlatformPlan;
import io.ferry.roadmap.appplatform.AppPlatformWorkflowImpl;
import io.ferry.runbook.FerrySearchAttributes;
import io.ferry.runbook.OperatorInput;
import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One app-platform run on a seeded simulated fleet and a time-skipping test server, with a
 * cooperative operator that approves gates and lets soaks and monitor intervals pass.
 */
final class SimRun implements AutoCloseable {

  private static final String QUEUE = "app-platform-test";

  final AppPlatformPlan plan = examplePlan();
  final SimulatedFleet fleet;
  final Map<String, Resource> start;
  final TestWorkflowEnvironment env;
  final WorkflowStub stub;

  SimRun(FaultPlan faults) {
    fleet = new SimulatedFleet(faults);
    fleet.seed(plan);
    start = fleet.ledger().snapshot();
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(
                            fleet.interceptors().toArray(new WorkerInterceptor[0]))
                        .build())
                .build());
    FerrySearchAttributes.DEFINITIONS.forEach(env::registerSearchAttribute);
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(AppPlatformWorkflowImpl.class);
    worker.registerActivitiesImplementations(fleet.activityImplementations().toArray());
    env.start();
    stub =
        env.getWorkflowClient()
            .newUntypedWorkflowStub(
                "AppPlatform",
                WorkflowOptions.newBuilder()
                    .setTaskQueue(QUEUE)
                    .setWorkflowId(plan.workflowId())
                    .build());
  }

  static AppPlatformPlan examplePlan() {
    try (InputStream in = SimRun.class.getResourceAsStream("/plans/app-platform.example.yaml")) {
      return new PlanLoader()
          .load(
              "app-platform.example.yaml",
              new String(in.readAllBytes(), StandardCharsets.UTF_8),
              AppPlatformPlan.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  SimRun started() {
    stub.start(plan);
    return this;
  }

  RunbookStatus status() {
    return stub.query("status", RunbookStatus.class);
  }

  /** Approves gates, lets soaks and monitor intervals pass, until the end or {@code stopWhen}. */
  RunbookStatus drive(Predicate<RunbookStatus> stopWhen) {
    Instant deadline = Instant.now().plusSeconds(90);
    while (Instant.now().isBefore(deadline)) {
      RunbookStatus s = status();
      if (s.state().isFinal() || stopWhen.test(s)) {
        return s;
      }
      if (!s.pendingGates().isEmpty()) {
        stub.signal("approve", OperatorInput.on(s.pendingGates().get(0).id(), "tester", "go"));
      } else if (!s.waitingManualSteps().isEmpty()) {
        stub.signal(
            "complete", OperatorInput.on(s.waitingManualSteps().get(0).id(), "tester", "done"));
      } else if (s.state() == RunbookState.SOAKING && s.soak() != null) {
        env.sleep(
            Duration.between(Instant.ofEpochMilli(env.currentTimeMillis()), s.soak().endsAt())
                .plusSeconds(1));
      } else if ("monitor".equals(s.currentStep())) {
        env.sleep(Duration.ofMinutes(1));
      } else {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    throw new AssertionError("did not end; last " + status());
  }

  RunbookResult driveToEnd() {
    drive(s -> false);
    return stub.getResult(RunbookResult.class);
  }

  String history() {
    return env.getWorkflowClient().fetchHistory(stub.getExecution().getWorkflowId()).toJson(true);
  }

  @Override
  public void close() {
    env.close();
  }
}
