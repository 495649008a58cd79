package io.ferry.runbook;

import java.time.Instant;

/** A soak in progress: when it started and when it will end unless extended or ended early. */
public record SoakStatus(String id, Instant startedAt, Instant endsAt) {}
