package io.ferry.activities.digitalocean;

import io.temporal.activity.Activity;

/** Reports progress while an adapter waits, so Temporal sees a long wait is alive. */
@FunctionalInterface
public interface Heartbeat {

  Heartbeat NONE = detail -> {};

  void beat(String detail);

  /** Heartbeats the current activity; outside an activity (a script, a test) does nothing. */
  static Heartbeat activity() {
    return detail -> {
      try {
        Activity.getExecutionContext().heartbeat(detail);
      } catch (IllegalStateException notInAnActivity) {
        // Called outside an activity: nobody to tell.
      }
    };
  }
}
