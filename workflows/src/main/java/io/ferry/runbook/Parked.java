package io.ferry.runbook;

import java.util.List;

/**
 * The step or compensation the workflow is parked on, waiting for an operator's decision.
 *
 * @param during "step" when the step itself failed, "compensation" when its undo failed
 * @param choices what the operator may send: retry, skip, rollback
 */
public record Parked(String step, String during, String error, List<String> choices) {}
