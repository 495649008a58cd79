package io.ferry.plan;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a gate does when nobody decides before its timeout. */
public enum OnTimeout {
  /** Treat the silence as a reject: roll back. */
  ROLLBACK,
  /** Record a reminder and keep waiting for another timeout. */
  REMIND_AND_WAIT;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
