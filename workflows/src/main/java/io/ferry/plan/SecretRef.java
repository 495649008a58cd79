package io.ferry.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * Where a secret lives, never the secret itself: {@code env:NAME} or {@code file:/absolute/path}.
 * Activities resolve it on the worker, so no secret value enters workflow history. File paths keep
 * to letters, digits and {@code . _ + @ = - /}: nothing a shell or a log line could misread.
 */
public record SecretRef(String ref) {

  private static final Pattern FORM =
      Pattern.compile("env:[A-Za-z_][A-Za-z0-9_]*|file:/[A-Za-z0-9._+@=-][A-Za-z0-9._+@=/-]*");

  @JsonCreator
  public static SecretRef of(String ref) {
    return new SecretRef(ref);
  }

  @JsonValue
  @Override
  public String ref() {
    return ref;
  }

  public boolean wellFormed() {
    return ref != null && FORM.matcher(ref).matches();
  }

  public boolean fromEnvironment() {
    return ref.startsWith("env:");
  }

  /** The variable name or file path the reference points at. */
  public String location() {
    return ref.substring(ref.indexOf(':') + 1);
  }

  @Override
  public String toString() {
    return ref;
  }
}
