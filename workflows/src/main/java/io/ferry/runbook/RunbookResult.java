package io.ferry.runbook;

/** What a migration workflow returns: how it ended and the final status. */
public record RunbookResult(RunbookState state, String outcome, RunbookStatus status) {}
