package io.ferry.activities.port;

import java.time.Duration;

/** The wait between probe rounds of an analysis window: the plan's interval on a real fleet. */
@FunctionalInterface
public interface ProbePause {

  void pause(Duration interval);

  /** Sleeps for real; an interrupt ends the window (the activity retries). */
  ProbePause REAL =
      interval -> {
        try {
          Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted during the analysis window", e);
        }
      };

  /** No wait: the simulated fleet's windows pass at once, their rounds all counted. */
  ProbePause NONE = interval -> {};
}
