package io.ferry.activities.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ferry.contract.CloudActivities;
import io.ferry.contract.CloudActivities.DropletRequest;
import io.ferry.runbook.FailureTypes;
import io.ferry.runbook.StepCall;
import io.ferry.runbook.StepContext;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The step header travels from a workflow's activity call to the ledger and the fault injector. */
class StepHeaderTest {

  private static final String QUEUE = "step-header-test";
  private TestWorkflowEnvironment env;

  @WorkflowInterface
  public interface OneStepWorkflow {
    @WorkflowMethod
    long run(String activityId);
  }

  public static class OneStepWorkflowImpl implements OneStepWorkflow {
    @Override
    public long run(String activityId) {
      CloudActivities cloud =
          Workflow.newActivityStub(
              CloudActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(1))
                  .setRetryOptions(
                      RetryOptions.newBuilder()
                          .setInitialInterval(Duration.ofMillis(10))
                          .setMaximumAttempts(5)
                          .setDoNotRetry(FailureTypes.NON_RETRYABLE.toArray(String[]::new))
                          .build())
                  .setContextPropagators(List.of(StepContext.of(StepCall.parse(activityId))))
                  .build());
      return cloud
          .createDroplet(
              new DropletRequest(
                  "run-1/" + activityId,
                  "vec-01",
                  "sfo2",
                  "s-1vcpu-1gb",
                  "ubuntu-22-04-x64",
                  null,
                  null,
                  null,
                  null))
          .id();
    }
  }

  private long run(SimulatedFleet fleet, String activityId) {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(
                            fleet.interceptors().toArray(WorkerInterceptor[]::new))
                        .build())
                .build());
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(OneStepWorkflowImpl.class);
    worker.registerActivitiesImplementations(fleet.activityImplementations().toArray());
    env.start();
    WorkflowClient client = env.getWorkflowClient();
    OneStepWorkflow workflow =
        client.newWorkflowStub(
            OneStepWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).build());
    return workflow.run(activityId);
  }

  @AfterEach
  void close() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void stepHeader_reachesTheActivityAndAttributesItsLedgerChanges() {
    SimulatedFleet fleet = new SimulatedFleet();

    run(fleet, "x");

    assertThat(fleet.ledger().journal())
        .singleElement()
        .extracting(LedgerChange::step)
        .isEqualTo(new StepCall("x", false, 1));
  }

  @Test
  void compensationAndRetryIds_arriveDecoded() {
    SimulatedFleet fleet = new SimulatedFleet();

    run(fleet, "undo:create-vector-droplet#2");

    assertThat(fleet.ledger().journal().get(0).step())
        .isEqualTo(new StepCall("create-vector-droplet", true, 2));
  }

  @Test
  void failAt_letsTheEffectLandThenFailsTheStepWithAnInjectedFault() {
    SimulatedFleet fleet = new SimulatedFleet(FaultPlan.failAt("create-vector-droplet"));

    Throwable thrown = catchThrowable(() -> run(fleet, "create-vector-droplet"));

    assertThat(thrown).isInstanceOf(WorkflowFailedException.class);
    Throwable activity = thrown.getCause();
    assertThat(activity).isInstanceOf(ActivityFailure.class);
    ApplicationFailure failure = (ApplicationFailure) activity.getCause();
    assertThat(failure.getType()).isEqualTo(FailureTypes.INJECTED_FAULT);
    assertThat(failure.getOriginalMessage()).contains("create-vector-droplet");
    assertThat(fleet.ledger().snapshot().keySet()).anyMatch(k -> k.startsWith("droplet/"));
  }

  @Test
  void transientFaultAfter_isRetriedAndTheRetryFindsTheFirstDroplet() {
    SimulatedFleet fleet =
        new SimulatedFleet(
            FaultPlan.none().and(new Fault("create-vector-droplet", false, Fault.When.AFTER, 2)));

    long id = run(fleet, "create-vector-droplet");

    assertThat(fleet.ledger().snapshot()).containsOnlyKeys("droplet/" + id);
  }
}
