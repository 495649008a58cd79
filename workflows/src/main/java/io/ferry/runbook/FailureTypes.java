package io.ferry.runbook;

import java.util.List;

/**
 * Names of permanent failures. Activities throw {@code ApplicationFailure} with one of these types
 * and Temporal does not retry them: retrying bad input or a wrong host key only repeats the harm.
 */
public final class FailureTypes {
  public static final String INVALID_INPUT = "InvalidInput";
  public static final String NOT_FOUND = "NotFound";
  public static final String AUTH = "AuthenticationFailed";
  public static final String HOST_KEY_MISMATCH = "HostKeyMismatch";
  public static final String THRESHOLD_NOT_MET = "ThresholdNotMet";
  public static final String PRECONDITION = "PreconditionFailed";
  public static final String INJECTED_FAULT = "InjectedFault";
  public static final String UNSUPPORTED = "Unsupported";

  public static final List<String> NON_RETRYABLE =
      List.of(
          INVALID_INPUT,
          NOT_FOUND,
          AUTH,
          HOST_KEY_MISMATCH,
          THRESHOLD_NOT_MET,
          PRECONDITION,
          INJECTED_FAULT,
          UNSUPPORTED);

  private FailureTypes() {}
}
