package io.ferry.activities.ssh;

import static io.ferry.activities.ssh.Shell.quote;

import io.ferry.activities.Failures;
import io.ferry.plan.SshTarget;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What every script a host adapter runs over SSH shares: checks of the values it puts on a command
 * line (quoting itself is {@link Shell}'s), the "tool missing" check and its failure, and masking
 * of a secret in what the host printed.
 */
public final class RemoteScript {

  private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9@._:\\\\-]+");
  private static final int MISSING_TOOL = 127;
  private static final String MISSING = "ferry-missing: ";

  private RemoteScript() {}

  /**
   * A script line that stops with {@link #MISSING_TOOL} when {@code tool} is not on the PATH. It
   * reads stdin to its end first (with a builtin: nothing else may exist), so the secret being sent
   * never meets a closed pipe, which some servers answer by dropping the output.
   */
  public static String need(String tool) {
    return "command -v "
        + tool
        + " >/dev/null 2>&1 || { while read -r _; do :; done; echo "
        + quote(MISSING + tool)
        + " >&2; exit "
        + MISSING_TOOL
        + "; }\n";
  }

  /** Fails with what to install when the script said a tool is missing (see {@link #need}). */
  public static void requireInstalled(
      SshTarget host, ExecResult result, String tool, String install) {
    if (result.exitStatus() == MISSING_TOOL && result.stderr().contains(MISSING + tool + "\n")) {
      throw Failures.precondition(
          tool
              + " is not installed on "
              + host.host()
              + " (not on the PATH of "
              + host.user()
              + "): "
              + install);
    }
  }

  /** {@code text} with every occurrence of {@code secret} replaced by {@code ***}. */
  public static String masked(String text, String secret) {
    return secret.isEmpty() ? text : text.replace(secret, "***");
  }

  /** A value passed as a command argument: required, and never taken for an option. */
  public static String option(String field, String value) {
    Failures.require(field, value);
    if (value.startsWith("-") || value.indexOf('\n') >= 0) {
      throw Failures.invalidInput(
          field + " must not start with '-' or hold a line break, was " + value);
    }
    return value;
  }

  /** A systemd unit name, checked: {@code field} names it in the message. */
  public static String unitName(String field, String unit) {
    Failures.require(field, unit);
    if (!UNIT.matcher(unit).matches() || unit.startsWith("-")) {
      throw Failures.invalidInput(field + " must be a systemd unit name, was " + unit);
    }
    return unit;
  }

  /** An absolute path on one line. */
  public static String absolute(String path) {
    Failures.require("path", path);
    if (!path.startsWith("/")) {
      throw Failures.invalidInput("path must be absolute, was " + path);
    }
    if (path.indexOf('\n') >= 0) {
      throw Failures.invalidInput("path must not contain a newline, was " + path);
    }
    return path;
  }

  /** The last {@code count} lines of {@code text}. */
  public static String lastLines(String text, int count) {
    String[] lines = text.strip().split("\n");
    return String.join(
        "\n", List.of(lines).subList(Math.max(0, lines.length - count), lines.length));
  }
}
