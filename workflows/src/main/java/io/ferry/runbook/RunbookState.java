package io.ferry.runbook;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a migration stands; also the value of the {@code FerryState} search attribute. */
public enum RunbookState {
  RUNNING,
  PAUSED,
  AWAITING_APPROVAL,
  AWAITING_MANUAL_STEP,
  AWAITING_DECISION,
  SOAKING,
  ROLLING_BACK,
  ROLLED_BACK,
  COMPLETED,
  FAILED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public boolean isFinal() {
    return this == ROLLED_BACK || this == COMPLETED || this == FAILED;
  }
}
