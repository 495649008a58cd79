package io.ferry.runbook;

/**
 * The payload of every operator signal and update, kept flat so it is easy to type into the Web
 * UI's signal form or {@code temporal workflow signal --input}.
 *
 * @param target the gate, step or soak the request is about; empty for pause, resume, rollback
 * @param by who is asking (recorded in the operator log)
 * @param comment why (recorded with the decision)
 * @param duration for extend-soak: how much longer, as {@code 2d}, {@code 12h} or ISO-8601
 */
public record OperatorInput(String target, String by, String comment, String duration) {

  public static OperatorInput by(String by) {
    return new OperatorInput(null, by, null, null);
  }

  public static OperatorInput on(String target, String by, String comment) {
    return new OperatorInput(target, by, comment, null);
  }

  public String who() {
    return by == null || by.isBlank() ? "unknown operator" : by;
  }
}
