package io.ferry.activities.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How DO's statuses map to failure types, and how a rate-limit wait is read. */
class DoFailuresTest {

  private static ApplicationFailure of(int status) {
    return DoFailures.forStatus("POST /v2/volumes", status, "some_id", "some message");
  }

  @Test
  void permanentStatuses_areNonRetryableWithNamedTypes() {
    assertThat(of(401).getType()).isEqualTo(FailureTypes.AUTH);
    assertThat(of(403).getType()).isEqualTo(FailureTypes.AUTH);
    assertThat(of(404).getType()).isEqualTo(FailureTypes.NOT_FOUND);
    assertThat(of(422).getType()).isEqualTo(FailureTypes.INVALID_INPUT);
    assertThat(of(400).getType()).isEqualTo(FailureTypes.INVALID_INPUT);
    assertThat(of(401).isNonRetryable()).isTrue();
    assertThat(of(404).isNonRetryable()).isTrue();
    assertThat(of(422).isNonRetryable()).isTrue();
  }

  @Test
  void transientStatuses_areRetryable() {
    assertThat(of(429).getType()).isEqualTo(DoFailures.RATE_LIMITED);
    assertThat(of(409).getType()).isEqualTo(DoFailures.CONFLICT);
    assertThat(of(500).getType()).isEqualTo(DoFailures.UNAVAILABLE);
    assertThat(of(503).getType()).isEqualTo(DoFailures.UNAVAILABLE);
    assertThat(of(429).isNonRetryable()).isFalse();
    assertThat(of(409).isNonRetryable()).isFalse();
    assertThat(of(502).isNonRetryable()).isFalse();
  }

  @Test
  void theMessage_namesTheRequestStatusAndDosIdAndMessage() {
    assertThat(of(422).getOriginalMessage())
        .isEqualTo("DigitalOcean POST /v2/volumes answered 422 some_id: some message");
  }

  @Test
  void rateLimitWait_runsUntilReset_elseRetryAfter_neverNegative() {
    Instant now = Instant.ofEpochSecond(1_800_000_000L);

    assertThat(RateLimits.waitFor("1800000030", null, now)).contains(Duration.ofSeconds(30));
    assertThat(RateLimits.waitFor("1799999990", null, now)).contains(Duration.ZERO);
    assertThat(RateLimits.waitFor(null, "7", now)).contains(Duration.ofSeconds(7));
    assertThat(RateLimits.waitFor(null, null, now)).isEmpty();
    assertThat(RateLimits.waitFor("soon", null, now)).isEmpty();
  }
}
