package io.ferry.plan;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in plans and commands: {@code 150ms}, {@code 15m}, {@code 7d}. */
public final class Durations {
  private static final Pattern HUMAN = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d|w)");

  private Durations() {}

  /**
   * Parses {@code 150ms}, {@code 30s}, {@code 15m}, {@code 24h}, {@code 7d}, {@code 2w} or
   * ISO-8601.
   */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a duration is required, such as 30s, 15m, 24h or 7d");
    }
    String value = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = HUMAN.matcher(value);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> Duration.ofDays(7 * n);
      };
    }
    try {
      return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a duration; write it as 150ms, 30s, 15m, 24h, 7d or ISO-8601 (PT24H)");
    }
  }

  /** The shortest exact human form: {@code 7d}, {@code 36h}, {@code 1500ms}. */
  public static String format(Duration d) {
    if (d == null) {
      return "none";
    }
    long ms = d.toMillis();
    if (ms != 0 && ms % 86_400_000L == 0) {
      return ms / 86_400_000L + "d";
    }
    if (ms != 0 && ms % 3_600_000L == 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms != 0 && ms % 60_000L == 0) {
      return ms / 60_000L + "m";
    }
    if (ms % 1000L == 0) {
      return ms / 1000L + "s";
    }
    return ms + "ms";
  }
}
