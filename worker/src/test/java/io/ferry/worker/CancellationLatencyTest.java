package io.ferry.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.runbook.ActivityProfile;
import io.ferry.runbook.StepCall;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A rollback cancels the running step; the step learns of it from the answer to a heartbeat, so how
 * soon depends on how far apart the worker sends them. Measured on the test server, in real time,
 * for the profile with the longest heartbeat timeout.
 */
class CancellationLatencyTest {
  static final String QUEUE = "cancellation-latency";
  static volatile CountDownLatch stepRunning;
  static volatile CompletableFuture<Long> cancelSeenAtNanos;

  @ActivityInterface
  public interface LongStep {
    void copy();
  }

  /** Heartbeats its progress every 100 ms, as a data copy does, until it is cancelled. */
  public static class LongStepImpl implements LongStep {
    @Override
    public void copy() {
      stepRunning.countDown();
      for (int batch = 0; batch < 1_000; batch++) {
        try {
          Activity.getExecutionContext().heartbeat(batch);
        } catch (ActivityCanceledException e) {
          cancelSeenAtNanos.complete(System.nanoTime());
          throw e;
        }
        sleep(100);
      }
    }
  }

  @WorkflowInterface
  public interface Migration {
    @WorkflowMethod
    void run(ActivityProfile profile);
  }

  /** Runs the long step; cancelling the workflow cancels it, as a rollback does. */
  public static class MigrationImpl implements Migration {
    @Override
    public void run(ActivityProfile profile) {
      LongStep step =
          Workflow.newActivityStub(
              LongStep.class, profile.options(new StepCall("copy", false, 1), "copy the data"));
      step.copy();
    }
  }

  @ParameterizedTest
  @EnumSource(ActivityProfile.class)
  void cancellingARunningStep_reachesItWithinTheHeartbeatBound(ActivityProfile profile)
      throws Exception {
    stepRunning = new CountDownLatch(1);
    cancelSeenAtNanos = new CompletableFuture<>();
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker =
          env.newWorker(QUEUE, FerryWorker.promptCancellation(WorkerOptions.getDefaultInstance()));
      worker.registerWorkflowImplementationTypes(MigrationImpl.class);
      worker.registerActivitiesImplementations(new LongStepImpl());
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      Migration migration =
          client.newWorkflowStub(
              Migration.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).build());
      WorkflowClient.start(migration::run, profile);
      assertThat(stepRunning.await(10, TimeUnit.SECONDS)).isTrue();
      sleep(ActivityProfile.CANCELLATION_REACHES_WITHIN.toMillis() + 500); // mid-throttle window

      long requested = System.nanoTime();
      WorkflowStub.fromTyped(migration).cancel();
      long seen = cancelSeenAtNanos.get(60, TimeUnit.SECONDS);

      Duration latency = Duration.ofNanos(seen - requested);
      System.out.println("[cancellation] " + profile + " step saw the rollback after " + latency);
      assertThat(latency)
          .isLessThanOrEqualTo(ActivityProfile.CANCELLATION_REACHES_WITHIN.plusSeconds(2));
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
