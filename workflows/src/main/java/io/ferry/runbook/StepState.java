package io.ferry.runbook;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The life of one step, including its compensation. */
public enum StepState {
  PENDING,
  RUNNING,
  WAITING,
  DONE,
  FAILED,
  SKIPPED,
  NOT_NEEDED,
  COMPENSATING,
  COMPENSATED,
  COMPENSATION_FAILED,
  COMPENSATION_SKIPPED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
