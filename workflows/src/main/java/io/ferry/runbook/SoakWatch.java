package io.ferry.runbook;

import java.time.Duration;

/**
 * What a soak does each time it wakes at its interval (see {@link WatchedSoak}); the soak itself
 * stays a durable wait that operators may extend, end or roll back.
 */
public interface SoakWatch {

  Duration interval();

  /** One round: a short activity call or two, whose outcome goes to the status and the log. */
  void round(Round round);

  /** What a round may use: the soak step's activities, its status line and the operator log. */
  interface Round {
    <A> A activities(Class<A> type);

    /** The soak step's result line while it waits. */
    void progress(String text);

    /** An entry in the operator log. */
    void record(String what, String detail);

    /** A breach of the soak's limits: in the operator log, and notified as a soak breach. */
    void breach(String detail);
  }
}
