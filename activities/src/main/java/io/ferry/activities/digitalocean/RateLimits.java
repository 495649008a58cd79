package io.ferry.activities.digitalocean;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Reads how long DigitalOcean asks a rate-limited client to wait. */
final class RateLimits {

  private RateLimits() {}

  /**
   * Until {@code RateLimit-Reset} (epoch seconds), else {@code Retry-After} (seconds); empty when
   * neither header is there or readable.
   */
  static Optional<Duration> waitFor(HttpHeaders headers, Instant now) {
    return waitFor(
        headers.firstValue("RateLimit-Reset").orElse(null),
        headers.firstValue("Retry-After").orElse(null),
        now);
  }

  static Optional<Duration> waitFor(String reset, String retryAfter, Instant now) {
    try {
      if (reset != null) {
        Duration d = Duration.between(now, Instant.ofEpochSecond(Long.parseLong(reset.trim())));
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      }
      if (retryAfter != null) {
        return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.trim()))));
      }
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting out a rate limit", e);
    }
  }
}
