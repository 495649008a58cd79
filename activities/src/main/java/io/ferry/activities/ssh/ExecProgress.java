package io.ferry.activities.ssh;

import java.time.Duration;

/** Told while a long command runs, so an activity can heartbeat. */
@FunctionalInterface
public interface ExecProgress {

  ExecProgress NONE = (elapsed, lastLine) -> {};

  /**
   * @param elapsed since the command started
   * @param lastLine the last complete line it wrote to stdout or stderr, or "" before any
   */
  void progress(Duration elapsed, String lastLine);
}
