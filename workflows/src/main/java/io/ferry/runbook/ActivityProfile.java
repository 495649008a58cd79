package io.ferry.runbook;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Activity options defined once, by the shape of the work rather than per call. */
public enum ActivityProfile {
  /**
   * An API call or a short command: seconds, a few quick retries. The worker heartbeats for it (the
   * activities' {@code LivenessHeartbeats}), so a dead worker is noticed in 30 s, not 2 min.
   */
  SHORT(Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofSeconds(1), 5),
  /**
   * A data copy or an image build: hours; its own heartbeats carry progress, so a retry resumes,
   * and their silence for a minute means it is stuck.
   */
  LONG_RUNNING(Duration.ofHours(6), Duration.ofMinutes(1), Duration.ofSeconds(5), 10),
  /** Waits for something to become ready by polling inside the activity. */
  POLLING(Duration.ofMinutes(30), Duration.ofSeconds(30), Duration.ofSeconds(2), 5);

  /**
   * How soon a cancellation (an operator's rollback) reaches a running step that heartbeats: the
   * answer to a heartbeat carries it, and the worker sends a step's heartbeats at most this far
   * apart (Temporal's own throttle would wait 80 % of the heartbeat timeout: 48 s for {@link
   * #LONG_RUNNING}). One small call per running step every two seconds, whatever the profile.
   */
  public static final Duration CANCELLATION_REACHES_WITHIN = Duration.ofSeconds(2);

  private final Duration startToClose;
  private final Duration heartbeat;
  private final Duration initialRetryInterval;
  private final int maximumAttempts;

  ActivityProfile(
      Duration startToClose,
      Duration heartbeat,
      Duration initialRetryInterval,
      int maximumAttempts) {
    this.startToClose = startToClose;
    this.heartbeat = heartbeat;
    this.initialRetryInterval = initialRetryInterval;
    this.maximumAttempts = maximumAttempts;
  }

  /** Options for one call: the summary shows in the Web UI, the step travels in a header. */
  public ActivityOptions options(StepCall step, String summary) {
    return ActivityOptions.newBuilder()
        .setSummary(summary)
        .setContextPropagators(java.util.List.of(StepContext.of(step)))
        .setStartToCloseTimeout(startToClose)
        .setHeartbeatTimeout(heartbeat)
        // A compensation must not start while the step it undoes is still changing things.
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(initialRetryInterval)
                .setBackoffCoefficient(2.0)
                .setMaximumInterval(Duration.ofMinutes(1))
                .setMaximumAttempts(maximumAttempts)
                .setDoNotRetry(FailureTypes.NON_RETRYABLE.toArray(String[]::new))
                .build())
        .build();
  }
}
