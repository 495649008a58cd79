package io.ferry.runbook;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** One way to write a moment, in replies, step results and the CLI alike: 2026-03-02 10:00:00Z. */
public final class Times {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private Times() {}

  public static String format(Instant at) {
    return at == null ? "-" : FORMAT.format(at);
  }
}
