package io.ferry.runbook;

/** What an accepted operator update did, and the state it left the migration in. */
public record OperatorReply(String message, RunbookState state) {}
