package io.ferry.activities.ssh;

import io.ferry.activities.Failures;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one way a value reaches a remote shell: as a single-quoted word, in which the shell expands
 * nothing. Every plan value in a command goes through {@link #quote}.
 */
public final class Shell {

  private Shell() {}

  /** {@code value} as one POSIX shell word: {@code it's} becomes {@code 'it'\''s'}. */
  public static String quote(String value) {
    if (value == null) {
      throw Failures.invalidInput("a command argument is missing (null)");
    }
    if (value.indexOf('\0') >= 0) {
      throw Failures.invalidInput(
          "a command argument contains a NUL character, which no shell passes");
    }
    return "'" + value.replace("'", "'\\''") + "'";
  }

  /** Each word quoted, separated by spaces: a command line that runs exactly {@code words}. */
  public static String words(List<String> words) {
    return words.stream().map(Shell::quote).collect(Collectors.joining(" "));
  }

  /** See {@link #words(List)}. */
  public static String words(String... words) {
    return words(List.of(words));
  }
}
