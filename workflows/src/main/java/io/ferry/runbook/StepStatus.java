package io.ferry.runbook;

import java.time.Instant;

/**
 * One step as the status query reports it.
 *
 * @param attempts how many times the workflow ran the step (an operator retry adds one; Temporal's
 *     own activity retries show in the Web UI)
 * @param result a one-line summary of what the step produced, when it did
 * @param compensation state of the undo: none, registered, compensating, compensated, failed
 */
public record StepStatus(
    String id,
    String title,
    String phase,
    StepKind kind,
    StepState state,
    int attempts,
    Instant startedAt,
    Instant endedAt,
    String error,
    String result,
    String compensation) {

  public static StepStatus pending(StepDef def) {
    return new StepStatus(
        def.id(),
        def.title(),
        def.phase(),
        def.kind(),
        StepState.PENDING,
        0,
        null,
        null,
        null,
        null,
        def.kind() == StepKind.EFFECT ? "none" : "not-applicable");
  }

  StepStatus with(StepState newState) {
    return copy(newState, attempts, startedAt, endedAt, error, result, compensation);
  }

  StepStatus started(Instant at) {
    return copy(StepState.RUNNING, attempts + 1, at, null, null, result, compensation);
  }

  StepStatus ended(StepState newState, Instant at, String newError, String newResult) {
    return copy(newState, attempts, startedAt, at, newError, newResult, compensation);
  }

  StepStatus compensation(String newCompensation) {
    return copy(state, attempts, startedAt, endedAt, error, result, newCompensation);
  }

  StepStatus compensation(StepState newState, String newCompensation, String newError) {
    return copy(
        newState,
        attempts,
        startedAt,
        endedAt,
        newError == null ? error : newError,
        result,
        newCompensation);
  }

  /** The same step with its changing parts replaced; what it is (id, title, ...) never changes. */
  private StepStatus copy(
      StepState newState,
      int newAttempts,
      Instant newStartedAt,
      Instant newEndedAt,
      String newError,
      String newResult,
      String newCompensation) {
    return new StepStatus(
        id,
        title,
        phase,
        kind,
        newState,
        newAttempts,
        newStartedAt,
        newEndedAt,
        newError,
        newResult,
        newCompensation);
  }
}
