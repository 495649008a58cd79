package io.ferry.activities;

import java.time.Duration;

/**
 * How activities that wait poll: every {@code interval}, giving up after {@code timeout}. The
 * simulated fleet polls every few milliseconds; real adapters every few seconds.
 */
public record Polling(Duration interval, Duration timeout) {

  public static final Polling SIMULATED = new Polling(Duration.ofMillis(10), Duration.ofSeconds(5));
  public static final Polling REAL = new Polling(Duration.ofSeconds(5), Duration.ofMinutes(20));

  public Polling {
    if (interval == null || interval.isNegative() || timeout == null || timeout.isNegative()) {
      throw new IllegalArgumentException("interval and timeout must be zero or positive");
    }
  }

  /** Sleeps one interval; an interrupt ends the wait with an exception (the activity retries). */
  public void pause() {
    try {
      Thread.sleep(interval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while polling", e);
    }
  }
}
