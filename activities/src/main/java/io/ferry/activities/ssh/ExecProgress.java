package io.ferry.activities.ssh;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;

/** Told while a long command runs, so an activity can heartbeat. */
@FunctionalInterface
public interface ExecProgress {

  ExecProgress NONE = (elapsed, lastLine) -> {};

  /**
   * Heartbeats the current activity with the command's last line (Temporal throttles the calls);
   * outside an activity it does nothing.
   */
  static ExecProgress activityHeartbeat() {
    ActivityExecutionContext context;
    try {
      context = Activity.getExecutionContext();
    } catch (IllegalStateException | NullPointerException notInAnActivity) {
      return NONE;
    }
    return (elapsed, lastLine) -> context.heartbeat(elapsed.toSeconds() + "s: " + lastLine);
  }

  /**
   * @param elapsed since the command started
   * @param lastLine the last complete line it wrote to stdout or stderr, or "" before any
   */
  void progress(Duration elapsed, String lastLine);
}
