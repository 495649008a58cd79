package io.ferry.reliability;

import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import io.ferry.testing.PendingActivities;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.testservice.v1.SleepRequest;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.TestServiceStubs;
import io.temporal.serviceclient.TestServiceStubsOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The clock of a port-bound Temporal test server whose time skipping is locked, so it runs in real
 * time while workers work. {@link #skipWaits} moves it past what only time would end: a retry
 * back-off, a durable timer. The server itself holds its clock while an activity or workflow task
 * is in flight, so a dead worker's task still times out in real time, as it would in production.
 */
final class ServerClock implements AutoCloseable {

  private final TestServiceStubs test;
  private Duration skipped = Duration.ZERO;

  ServerClock(int port) {
    this.test =
        TestServiceStubs.newServiceStubs(
            TestServiceStubsOptions.newBuilder()
                .setTarget("localhost:" + port)
                // a skip waits for in-flight tasks, a dead worker's until it times out
                .setRpcTimeout(Duration.ofMinutes(5))
                .validateAndBuildWithDefaults());
  }

  /** How much of the server's time has been skipped so far. */
  Duration skipped() {
    return skipped;
  }

  /**
   * Moves the clock forward to {@code start} before a run, so the run starts where in-process runs
   * do ({@code Harness.START}) and writes the same dates into names.
   */
  void skipTo(java.time.Instant start) {
    long now = now();
    if (start.toEpochMilli() <= now) {
      throw new IllegalStateException("the server's clock is already past " + start);
    }
    skip(Duration.ofMillis(start.toEpochMilli() - now));
  }

  /** Skips to the next retry or timer, if the workflow is waiting on nothing else. */
  void skipWaits(WorkflowClient client, String workflowId) {
    List<PendingActivityInfo> pending =
        client
            .newUntypedWorkflowStub(workflowId)
            .describe()
            .getRawDescription()
            .getPendingActivitiesList();
    long now = now();
    long due = Long.MAX_VALUE;
    for (PendingActivityInfo a : pending) {
      if (a.hasNextAttemptScheduleTime() && millis(a.getNextAttemptScheduleTime()) > now) {
        due = Math.min(due, millis(a.getNextAttemptScheduleTime()));
      } else if (PendingActivities.backingOff(a)) {
        // the test server does not say when it retries
        due = Math.min(due, now + 1000);
      } else {
        return; // running: its time is real
      }
    }
    if (pending.isEmpty()) {
      due = nextTimer(client.fetchHistory(workflowId).getEvents());
    }
    if (due != Long.MAX_VALUE && due > now) {
      Duration skip = Duration.ofMillis(due - now + 1);
      skip(skip);
      skipped = skipped.plus(skip);
    }
  }

  private void skip(Duration skip) {
    test.blockingStub()
        .unlockTimeSkippingWithSleep(
            SleepRequest.newBuilder()
                .setDuration(
                    com.google.protobuf.Duration.newBuilder()
                        .setSeconds(skip.getSeconds())
                        .setNanos(skip.getNano()))
                .build());
  }

  private long now() {
    return millis(test.blockingStub().getCurrentTime(Empty.getDefaultInstance()).getTime());
  }

  /** When the earliest durable timer still running fires, or {@code Long.MAX_VALUE}. */
  private static long nextTimer(List<HistoryEvent> history) {
    Map<String, Long> running = new HashMap<>();
    for (HistoryEvent e : history) {
      switch (e.getEventType()) {
        case EVENT_TYPE_TIMER_STARTED -> {
          var timer = e.getTimerStartedEventAttributes();
          running.put(
              timer.getTimerId(), millis(e.getEventTime()) + millis(timer.getStartToFireTimeout()));
        }
        case EVENT_TYPE_TIMER_FIRED ->
            running.remove(e.getTimerFiredEventAttributes().getTimerId());
        case EVENT_TYPE_TIMER_CANCELED ->
            running.remove(e.getTimerCanceledEventAttributes().getTimerId());
        default -> {
          // not a timer
        }
      }
    }
    return running.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
  }

  private static long millis(Timestamp t) {
    return PendingActivities.millis(t);
  }

  private static long millis(com.google.protobuf.Duration d) {
    return d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
  }

  @Override
  public void close() {
    test.shutdownNow();
  }
}
