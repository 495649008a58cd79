package io.ferry.worker.connect;

import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * A worker's first connection to the frontend. A server still starting or a loaded machine answers
 * late, so an unreachable frontend is tried again until {@code patience} has passed, each try said
 * on stderr; a TLS failure is a misconfiguration that waiting does not mend, so it ends at once.
 */
public final class FirstConnection {

  private static final Duration EACH_TRY = Duration.ofSeconds(10);
  private static final Duration BETWEEN_TRIES = Duration.ofSeconds(2);

  private FirstConnection() {}

  /** The connected stubs; throws the last failure once patience runs out. */
  public static WorkflowServiceStubs open(
      TemporalEndpoint endpoint,
      WorkflowServiceStubsOptions options,
      Duration patience,
      PrintWriter err) {
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(options);
    long deadline = System.nanoTime() + patience.toNanos();
    int tries = 0;
    while (true) {
      tries++;
      try {
        stubs.connect(EACH_TRY);
        if (tries > 1) {
          err.println("ferry worker: reached Temporal at " + endpoint.describe());
          err.flush();
        }
        return stubs;
      } catch (RuntimeException e) {
        long left = deadline - System.nanoTime();
        if (endpoint.tlsFailure(e).isPresent() || left <= BETWEEN_TRIES.toNanos()) {
          stubs.shutdownNow();
          throw e;
        }
        err.printf(
            "ferry worker: Temporal at %s not reachable yet (try %d: %s); trying again for %ds%n",
            endpoint.describe(), tries, e.getMessage(), Duration.ofNanos(left).toSeconds());
        err.flush();
        sleep(BETWEEN_TRIES);
      }
    }
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to Temporal", e);
    }
  }
}
