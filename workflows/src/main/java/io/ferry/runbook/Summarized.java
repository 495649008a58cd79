package io.ferry.runbook;

/** A step result that can say in one line what it produced, for status and rehearsal output. */
public interface Summarized {
  String summary();
}
