package io.ferry.cli;

import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.List;

/**
 * Moves a rehearsal's test-server clock over the waits nobody needs to sit through: to the
 * workflow's published next wake-up once no activity is in flight, and over an activity's retry
 * back-off. It never skips while a step runs, nor while the workflow waits for a person (a gate's
 * timeout is for an operator who never answers; the rehearsal always answers).
 */
final class TimeSkipper {
  /** The server starts a timer a moment after the workflow's clock read; catch up in steps. */
  private static final Duration CATCH_UP = Duration.ofMillis(1);

  /** The test server does not say when a retry is due: cross a back-off a second at a time. */
  private static final Duration BACKOFF_STEP = Duration.ofSeconds(1);

  private final TestWorkflowEnvironment env;
  private final WorkflowClient client;
  private final String workflowId;

  TimeSkipper(TestWorkflowEnvironment env, WorkflowClient client, String workflowId) {
    this.env = env;
    this.client = client;
    this.workflowId = workflowId;
  }

  /**
   * Skips to the status's next wake-up when the workflow is idle in a timed wait of its own; true
   * if it skipped.
   */
  boolean toNextWake(RunbookStatus s) {
    if (s.nextWakeAt() == null
        || (s.state() != RunbookState.RUNNING && s.state() != RunbookState.ROLLING_BACK)
        || !pendingActivities().isEmpty()) {
      return false;
    }
    long now = env.currentTimeMillis();
    long wake = s.nextWakeAt().toEpochMilli();
    env.sleep(wake > now ? Duration.ofMillis(wake - now + 1) : CATCH_UP);
    return true;
  }

  /** Skips over a failed activity's retry back-off; true if one was waiting. */
  boolean overRetryBackoff() {
    for (PendingActivityInfo a : pendingActivities()) {
      if (backingOff(a)) {
        env.sleep(BACKOFF_STEP);
        return true;
      }
    }
    return false;
  }

  private List<PendingActivityInfo> pendingActivities() {
    return client
        .newUntypedWorkflowStub(workflowId)
        .describe()
        .getRawDescription()
        .getPendingActivitiesList();
  }

  /** The test server keeps a failed activity "started" while it waits to retry. */
  private static boolean backingOff(PendingActivityInfo a) {
    return a.hasLastFailure()
        && a.hasLastAttemptCompleteTime()
        && millis(a.getLastAttemptCompleteTime()) >= millis(a.getLastStartedTime());
  }

  private static long millis(com.google.protobuf.Timestamp t) {
    return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
  }
}
