package io.ferry.testing;

import com.google.protobuf.Timestamp;
import io.temporal.api.workflow.v1.PendingActivityInfo;

/** What a test server's description of a pending activity says about its waits. */
public final class PendingActivities {

  private PendingActivities() {}

  /** True while a failed activity waits to retry: the test server keeps it "started" then. */
  public static boolean backingOff(PendingActivityInfo a) {
    return a.hasLastFailure()
        && a.hasLastAttemptCompleteTime()
        && millis(a.getLastAttemptCompleteTime()) >= millis(a.getLastStartedTime());
  }

  public static long millis(Timestamp t) {
    return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
  }
}
