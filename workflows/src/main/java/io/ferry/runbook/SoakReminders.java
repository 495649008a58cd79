package io.ferry.runbook;

import io.ferry.plan.Notifications;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Which soak-ending notices (24h, 1h before the end, as the plan sets) are still due. An extended
 * soak has a new end, so its notices are due again.
 */
final class SoakReminders {

  private final Set<String> sent = new HashSet<>();

  /**
   * The earliest notice still due before a soak ending at {@code endsAt}, {@code remaining} from
   * now; null when none is (or the plan sends none).
   */
  Duration next(Notifications settings, Duration remaining, Instant endsAt) {
    if (settings == null) {
      return null;
    }
    Duration next = null;
    for (Duration before : settings.soakEndingIn()) {
      if (before.compareTo(remaining) < 0
          && !sent.contains(key(endsAt, before))
          && (next == null || before.compareTo(next) > 0)) {
        next = before;
      }
    }
    return next;
  }

  void sent(Instant endsAt, Duration before) {
    sent.add(key(endsAt, before));
  }

  private static String key(Instant endsAt, Duration before) {
    return endsAt + "-" + before;
  }
}
