package io.ferry.activities;

import io.ferry.plan.SecretRef;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Resolves secret references ({@code env:NAME}, {@code file:/path}) on the worker. Errors name the
 * reference and never the value; resolved values must not be logged or returned to a workflow.
 */
public final class SecretResolver {

  private final Function<String, String> environment;
  private final Function<SecretRef, String> override;

  private SecretResolver(
      Function<String, String> environment, Function<SecretRef, String> override) {
    this.environment = environment;
    this.override = override;
  }

  /** Reads the worker's environment variables and files. */
  public static SecretResolver fromWorker() {
    return new SecretResolver(System::getenv, null);
  }

  /** Reads variables from {@code environment} (tests) and files from disk. */
  public static SecretResolver withEnvironment(Function<String, String> environment) {
    return new SecretResolver(environment, null);
  }

  /**
   * For rehearsals: every well-formed reference resolves to a stand-in naming it, so a plan
   * rehearses without its secrets being present.
   */
  public static SecretResolver standIns() {
    return new SecretResolver(name -> null, ref -> "simulated-secret-for-" + ref.ref());
  }

  /** The value the reference points at, with a trailing newline of a file removed. */
  public String resolve(SecretRef ref) {
    if (ref == null || !ref.wellFormed()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "secret reference '" + ref + "' is not env:NAME or file:/absolute/path",
          FailureTypes.INVALID_INPUT);
    }
    if (override != null) {
      return override.apply(ref);
    }
    if (ref.fromEnvironment()) {
      String value = environment.apply(ref.location());
      if (value == null || value.isEmpty()) {
        throw ApplicationFailure.newNonRetryableFailure(
            "secret "
                + ref
                + ": environment variable "
                + ref.location()
                + " is not set on the worker",
            FailureTypes.PRECONDITION);
      }
      return value;
    }
    Path path = Path.of(ref.location());
    try {
      String value = Files.readString(path, StandardCharsets.UTF_8);
      return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
    } catch (IOException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "secret "
              + ref
              + ": cannot read "
              + path
              + " on the worker ("
              + e.getClass().getSimpleName()
              + ")",
          FailureTypes.PRECONDITION);
    }
  }
}
