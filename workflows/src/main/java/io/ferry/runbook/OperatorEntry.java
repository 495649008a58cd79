package io.ferry.runbook;

import java.time.Instant;

/**
 * One line of the operator log: every request the workflow saw, accepted or not.
 *
 * @param outcome "accepted", or "ignored: why" for a signal that could not apply
 */
public record OperatorEntry(
    Instant at, String action, String target, String by, String comment, String outcome) {}
