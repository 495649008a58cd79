package io.ferry.plan;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The moments a webhook endpoint may ask to be told about; plans name them in wire form. */
public enum NotifyEvent {
  GATE_OPENED,
  GATE_REMINDER,
  GATE_TIMED_OUT,
  MANUAL_STEP_WAITING,
  STEP_PARKED,
  ROLLBACK_FINISHED,
  POINT_OF_NO_RETURN_PASSED,
  SOAK_ENDING,
  SOAK_BREACH,
  COMPLETED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Optional<NotifyEvent> fromWireName(String name) {
    return Arrays.stream(values()).filter(e -> e.wireName().equals(name)).findFirst();
  }

  public static List<String> wireNames() {
    return Arrays.stream(values()).map(NotifyEvent::wireName).toList();
  }
}
