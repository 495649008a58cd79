package io.ferry.activities.digitalocean;

import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How DigitalOcean's answers become failures: auth, not-found and validation errors are permanent
 * with a named type; rate limits, conflicts and server errors are retried. Messages carry DO's
 * error {@code id} and {@code message}, never the token or a request body.
 */
public final class DoFailures {

  /** Retryable: DigitalOcean answered 5xx. */
  public static final String UNAVAILABLE = "DigitalOceanUnavailable";

  /** Retryable: still rate limited after the bounded wait for {@code RateLimit-Reset}. */
  public static final String RATE_LIMITED = "DigitalOceanRateLimited";

  /** Retryable: 409, the resource is busy with another event. */
  public static final String CONFLICT = "DigitalOceanConflict";

  /** Retryable: an action (attach, snapshot) ended {@code errored}. */
  public static final String ACTION_ERRORED = "DigitalOceanActionErrored";

  /** Retryable: a request did not reach DigitalOcean or its answer was cut off. */
  public static final String UNREACHABLE = "DigitalOceanUnreachable";

  private DoFailures() {}

  /**
   * The failure for an unsuccessful answer.
   *
   * @param request {@code METHOD /v2/path}, without the query (it may name resources, not secrets)
   * @param errorId DO's {@code id} field, such as {@code not_found}, or null
   * @param message DO's {@code message} field, or null
   */
  public static ApplicationFailure forStatus(
      String request, int status, String errorId, String message) {
    String text =
        "DigitalOcean "
            + request
            + " answered "
            + status
            + (errorId == null || errorId.isBlank() ? "" : " " + errorId)
            + (message == null || message.isBlank() ? "" : ": " + message);
    String id = errorId == null ? "" : errorId;
    return switch (status) {
      case 401, 403 ->
          ApplicationFailure.newNonRetryableFailure(
              text + " (check the token's scopes)", FailureTypes.AUTH, status, id);
      case 404 ->
          ApplicationFailure.newNonRetryableFailure(text, FailureTypes.NOT_FOUND, status, id);
      case 400, 422 ->
          ApplicationFailure.newNonRetryableFailure(text, FailureTypes.INVALID_INPUT, status, id);
      case 409 -> ApplicationFailure.newFailure(text, CONFLICT, status, id);
      case 429 -> ApplicationFailure.newFailure(text, RATE_LIMITED, status, id);
      default ->
          status >= 500
              ? ApplicationFailure.newFailure(text, UNAVAILABLE, status, id)
              : ApplicationFailure.newNonRetryableFailure(
                  text, FailureTypes.PRECONDITION, status, id);
    };
  }

  /**
   * DO's own {@code message} in a failure made by {@link #forStatus}, without the request and
   * status before it; the whole message when it is not one of those.
   */
  public static String doMessage(ApplicationFailure failure) {
    Matcher m = FOR_STATUS.matcher(failure.getOriginalMessage());
    return m.matches() ? m.group(1) : failure.getOriginalMessage();
  }

  private static final Pattern FOR_STATUS =
      Pattern.compile("DigitalOcean \\S+ \\S+ answered \\d{3}(?: [^ :]+)?: (.*)", Pattern.DOTALL);

  static ApplicationFailure unreachable(String request, Exception cause) {
    return ApplicationFailure.newFailureWithCause(
        "DigitalOcean " + request + " failed: " + cause.getClass().getSimpleName(),
        UNREACHABLE,
        cause);
  }

  static boolean isNotFound(ApplicationFailure failure) {
    return FailureTypes.NOT_FOUND.equals(failure.getType());
  }
}
