package io.ferry.runbook;

import java.time.Instant;

/** One person's approval of a gate: who (as they claimed with {@code --by}), when and why. */
public record Approval(String by, Instant at, String comment) {}
