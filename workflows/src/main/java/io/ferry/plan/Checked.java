package io.ferry.plan;

/** A part of a plan that checks its own fields; problems are named by their path in the file. */
public interface Checked {
  void check(PlanChecks checks);
}
