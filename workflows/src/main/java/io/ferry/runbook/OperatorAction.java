package io.ferry.runbook;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The operator controls; each is a signal of the same name and an action of the update. */
public enum OperatorAction {
  PAUSE,
  RESUME,
  APPROVE,
  REJECT,
  COMPLETE,
  RETRY,
  SKIP,
  ROLLBACK,
  EXTEND_SOAK,
  END_SOAK;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Optional<OperatorAction> fromWireName(String name) {
    return Arrays.stream(values()).filter(a -> a.wireName().equals(name)).findFirst();
  }
}
