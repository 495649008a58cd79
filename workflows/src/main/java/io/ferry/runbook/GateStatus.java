package io.ferry.runbook;

import java.time.Instant;

/**
 * A gate as the status query reports it.
 *
 * @param decision pending, approved, rejected or timed-out
 * @param timeoutAt when the gate times out, or null when it waits forever
 * @param onTimeout what happens then: rollback or remind-and-wait
 */
public record GateStatus(
    String id,
    String title,
    String decision,
    String by,
    String comment,
    Instant openedAt,
    Instant decidedAt,
    Instant timeoutAt,
    String onTimeout,
    int reminders) {}
