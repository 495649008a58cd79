package io.ferry.plan;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What happens when a step fails after its retries. */
public enum FailurePolicy {
  /** Compensate every completed step in reverse order at once. */
  ROLLBACK,
  /** Park, and let an operator retry, skip or roll back. */
  ASK;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
