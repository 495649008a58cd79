package io.ferry.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The terminal the CLI writes to, as far as it can tell. */
final class Terminal {
  static final int DEFAULT_HEIGHT = 24;

  private Terminal() {}

  /** The terminal's height in lines: $LINES, else what stty says, else 24. */
  static int height() {
    try {
      String lines = System.getenv("LINES");
      if (lines != null && !lines.isBlank()) {
        return Integer.parseInt(lines.trim());
      }
      Process stty =
          new ProcessBuilder("sh", "-c", "stty size < /dev/tty").redirectErrorStream(true).start();
      if (!stty.waitFor(1, TimeUnit.SECONDS)) {
        stty.destroyForcibly();
        return DEFAULT_HEIGHT;
      }
      String[] size =
          new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
              .trim()
              .split(" ");
      return size.length == 2 ? Integer.parseInt(size[0]) : DEFAULT_HEIGHT;
    } catch (IOException | NumberFormatException e) {
      return DEFAULT_HEIGHT;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DEFAULT_HEIGHT;
    }
  }
}
