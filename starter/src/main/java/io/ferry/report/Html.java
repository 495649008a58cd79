package io.ferry.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Escaping and the report's way of writing times and durations. */
final class Html {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private Html() {}

  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static final DateTimeFormatter SHORT =
      DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  /** Month, day and time (UTC), for table cells; the header gives the full times. */
  static String shortTime(Instant at) {
    return at == null ? "" : SHORT.format(at);
  }

  static String time(Instant at) {
    return at == null ? "" : TIME.format(at);
  }

  static String duration(Instant from, Instant to) {
    if (from == null || to == null) {
      return "";
    }
    Duration d = Duration.between(from, to);
    if (d.toMillis() < 1000) {
      return d.toMillis() + " ms";
    }
    StringBuilder text = new StringBuilder();
    long days = d.toDays();
    if (days > 0) {
      text.append(days).append("d ");
    }
    if (d.toHoursPart() > 0) {
      text.append(d.toHoursPart()).append("h ");
    }
    if (d.toMinutesPart() > 0) {
      text.append(d.toMinutesPart()).append("m ");
    }
    if (d.toSecondsPart() > 0 || text.length() == 0) {
      text.append(d.toSecondsPart()).append("s");
    }
    return text.toString().trim();
  }
}
