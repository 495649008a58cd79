package io.ferry.activities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real Temporal heartbeat timeouts (3 s) on the test server, in real time: the server fails an
 * attempt that goes silent, so each case takes a few seconds.
 */
class LivenessHeartbeatsTest {

  private static final String QUEUE = "liveness";
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final Duration QUIET = TIMEOUT.multipliedBy(2);

  /** What each attempt saw as the checkpoint when it started and when it ended its quiet spell. */
  static final List<String> SEEN = new CopyOnWriteArrayList<>();

  private TestWorkflowEnvironment env;

  @ActivityInterface
  public interface Work {
    /** Sleeps {@code quietMillis} without a heartbeat of its own. */
    @ActivityMethod
    String quiet(long quietMillis);

    /**
     * Attempt 1 checkpoints "page 7" and fails; attempt 2 is quiet for a while, then fails; attempt
     * 3 returns the checkpoint it finds.
     */
    @ActivityMethod
    String resumable(long quietMillis);

    /** Heartbeats once, then goes quiet: it is stuck, and must time out. */
    @ActivityMethod
    String stuckAfterOwnHeartbeat(long quietMillis);
  }

  public static class WorkImpl implements Work {
    @Override
    public String quiet(long quietMillis) {
      sleep(quietMillis);
      return "done";
    }

    @Override
    public String resumable(long quietMillis) {
      var context = Activity.getExecutionContext();
      int attempt = context.getInfo().getAttempt();
      String before = context.getHeartbeatDetails(String.class).orElse("none");
      SEEN.add(attempt + ": " + before);
      if (attempt == 1) {
        context.heartbeat("page 7");
        throw new IllegalStateException("lost the connection after page 7");
      }
      sleep(quietMillis);
      String after = context.getHeartbeatDetails(String.class).orElse("none");
      SEEN.add(attempt + " after the quiet: " + after);
      if (attempt == 2) {
        throw new IllegalStateException("lost it again, before any new page");
      }
      return after;
    }

    @Override
    public String stuckAfterOwnHeartbeat(long quietMillis) {
      Activity.getExecutionContext().heartbeat("page 1");
      sleep(quietMillis);
      return "done";
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

  @WorkflowInterface
  public interface Caller {
    @WorkflowMethod
    String call(String method, long quietMillis);
  }

  public static class CallerImpl implements Caller {
    @Override
    public String call(String method, long quietMillis) {
      Work work =
          Workflow.newActivityStub(
              Work.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(1))
                  .setHeartbeatTimeout(TIMEOUT)
                  .setRetryOptions(
                      RetryOptions.newBuilder()
                          .setInitialInterval(Duration.ofMillis(10))
                          .setMaximumAttempts(method.equals("resumable") ? 3 : 1)
                          .build())
                  .build());
      return switch (method) {
        case "quiet" -> work.quiet(quietMillis);
        case "resumable" -> work.resumable(quietMillis);
        default -> work.stuckAfterOwnHeartbeat(quietMillis);
      };
    }
  }

  private String call(boolean liveness, String method) {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(
                            liveness
                                ? new WorkerInterceptor[] {new LivenessHeartbeats()}
                                : new WorkerInterceptor[0])
                        .build())
                .build());
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(CallerImpl.class);
    worker.registerActivitiesImplementations(new WorkImpl());
    env.start();
    return env.getWorkflowClient()
        .newWorkflowStub(Caller.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).build())
        .call(method, QUIET.toMillis());
  }

  @AfterEach
  void close() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void aQuietActivity_outlivesItsHeartbeatTimeout() {
    assertThat(call(true, "quiet")).isEqualTo("done");
  }

  @Test
  void withoutTheInterceptor_theSameActivityTimesOut() {
    // the control: proves the quiet spell is longer than the server tolerates
    assertThatThrownBy(() -> call(false, "quiet"))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOf(TimeoutFailure.class);
  }

  @Test
  void theBeats_keepThePreviousAttemptsCheckpoint_forTheActivityAndTheNextAttempt() {
    SEEN.clear();

    assertThat(call(true, "resumable")).isEqualTo("page 7");

    assertThat(SEEN)
        .containsExactly(
            "1: none",
            "2: page 7",
            "2 after the quiet: page 7",
            "3: page 7",
            "3 after the quiet: page 7");
  }

  @Test
  void anActivityThatHeartbeatsItself_ownsItsHeartbeat_andTimesOutWhenStuck() {
    assertThatThrownBy(() -> call(true, "stuck"))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .cause()
        .isInstanceOf(TimeoutFailure.class);
  }
}
