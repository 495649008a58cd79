package io.ferry.runbook;

/** What a step does to the world, which decides how the runbook treats it. */
public enum StepKind {
  /** Changes something; a compensation is registered before it runs. */
  EFFECT,
  /** Only looks; nothing to undo. */
  READ_ONLY,
  /** Waits for an operator's approve or reject. */
  GATE,
  /** A checklist item a human performs; waits until an operator marks it done. */
  MANUAL,
  /** A durable wait measured in days; operators may extend it or end it early. */
  SOAK,
  /** Cannot be undone: must sit behind a gate, and refuses rollback once it has run. */
  POINT_OF_NO_RETURN
}
