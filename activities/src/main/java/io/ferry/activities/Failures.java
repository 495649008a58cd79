package io.ferry.activities;

import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;

/**
 * Permanent failures, typed with {@link FailureTypes} so Temporal does not retry them. Transient
 * trouble (a refused connection, a timeout) is an ordinary exception and is retried.
 */
public final class Failures {

  private Failures() {}

  public static ApplicationFailure invalidInput(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.INVALID_INPUT);
  }

  public static ApplicationFailure notFound(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.NOT_FOUND);
  }

  public static ApplicationFailure precondition(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.PRECONDITION);
  }

  public static ApplicationFailure thresholdNotMet(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.THRESHOLD_NOT_MET);
  }

  /** Fails with {@code INVALID_INPUT} naming {@code field} when {@code value} is null or blank. */
  public static <T> T require(String field, T value) {
    if (value == null || (value instanceof String s && s.isBlank())) {
      throw invalidInput(field + " is required");
    }
    return value;
  }
}
