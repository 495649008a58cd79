package io.ferry.runbook;

/** An operator control sent as an update, so the caller learns at once whether it applied. */
public record OperatorCommand(OperatorAction action, OperatorInput input) {}
