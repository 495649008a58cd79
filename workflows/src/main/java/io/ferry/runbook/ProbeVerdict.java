package io.ferry.runbook;

/** The outcome of one probe in a monitor window: passed, and what was seen. */
public interface ProbeVerdict {
  boolean passed();

  String detail();
}
