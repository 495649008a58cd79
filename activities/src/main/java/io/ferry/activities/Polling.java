package io.ferry.activities;

import java.time.Duration;

/**
 * How activities that wait poll: every {@code interval}, giving up after {@code timeout}. The
 * simulated fleet polls every few milliseconds; real adapters every few seconds.
 *
 * @param probeGap how far apart repeated probes of a URL are when probing spans real time (the
 *     zero-downtime watch); zero where nothing takes real time (the simulated fleet probes once)
 */
public record Polling(Duration interval, Duration timeout, Duration probeGap) {

  public static final Polling SIMULATED = new Polling(Duration.ofMillis(10), Duration.ofSeconds(5));
  public static final Polling REAL =
      new Polling(Duration.ofSeconds(5), Duration.ofMinutes(20), Duration.ofMillis(250));

  public Polling {
    if (interval == null || interval.isNegative() || timeout == null || timeout.isNegative()) {
      throw new IllegalArgumentException("interval and timeout must be zero or positive");
    }
    if (probeGap == null || probeGap.isNegative()) {
      throw new IllegalArgumentException("probeGap must be zero or positive");
    }
  }

  /** Polling whose probes do not span real time. */
  public Polling(Duration interval, Duration timeout) {
    this(interval, timeout, Duration.ZERO);
  }

  /** Whether probes spread over real time (a real fleet) rather than run once. */
  public boolean probesSpanTime() {
    return !probeGap.isZero();
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
