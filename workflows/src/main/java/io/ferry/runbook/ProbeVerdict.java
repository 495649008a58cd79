package io.ferry.runbook;

/** The outcome of one probe in a monitor window: passed, and what was seen. */
public interface ProbeVerdict {
  boolean passed();

  String detail();

  /**
   * Whether this failure ends the window at once, whatever failures the window tolerates (a spent
   * budget that no later round can earn back).
   */
  default boolean decisive() {
    return false;
  }
}
