package io.ferry.cli;

import io.ferry.cli.Prompter.Decision;
import io.ferry.runbook.GateStatus;
import io.ferry.runbook.OperatorAction;

/**
 * The colleagues a one-person rehearsal borrows once its first approval of a gate is in: a gate
 * that needs two distinct approvers gets its second from here, so the rehearsal shows the quorum at
 * work instead of hiding it behind the plan's one-person switch.
 */
final class RehearsalApprovers {

  private RehearsalApprovers() {}

  /** The next approval a gate still needs, by a name no earlier approval used. */
  static Decision next(GateStatus gate) {
    int n = gate.approvals().size() + 1;
    String who = "rehearsal (approver " + n + ")";
    return new Decision(
        OperatorAction.APPROVE,
        who,
        "approver " + n + " of " + gate.quorum() + " in the rehearsal");
  }
}
