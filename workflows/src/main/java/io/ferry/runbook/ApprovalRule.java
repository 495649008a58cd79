package io.ferry.runbook;

import io.ferry.plan.Approvals;
import io.ferry.plan.GatePolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may approve one gate: how many distinct people, whether the migration's starter counts, and
 * whether they must say why. The gate in front of a point of no return is stricter by default.
 *
 * @param guards the point of no return this gate stands in front of, or null
 */
record ApprovalRule(int quorum, boolean starterMayApprove, boolean commentRequired, String guards) {

  /** Runs started before approval policies: one approval by anyone decides. */
  static final ApprovalRule SINGLE = new ApprovalRule(1, true, false, null);

  static ApprovalRule of(GatePolicy policy, Approvals approvals, String guards) {
    boolean strict = guards != null;
    int quorum =
        policy.quorum() != null
            ? policy.quorum()
            : strict && !Boolean.TRUE.equals(approvals.onePersonTeam()) ? 2 : 1;
    boolean starter = policy.starterMayApprove() == null || policy.starterMayApprove();
    boolean comment = policy.commentRequired() != null ? policy.commentRequired() : strict;
    return new ApprovalRule(quorum, starter, comment, guards);
  }

  /** The rule in words, for the status and for refusals. */
  String describe() {
    List<String> parts = new ArrayList<>();
    parts.add(quorum == 1 ? "1 approver" : quorum + " distinct approvers");
    if (commentRequired) {
      parts.add("a comment");
    }
    if (!starterMayApprove) {
      parts.add("not the person who started the migration");
    }
    return String.join(", ", parts)
        + (guards == null ? "" : ", as it guards the point of no return " + guards);
  }

  /**
   * Why {@code who} may not approve {@code gate} now, or null when they may. {@code startedBy} is
   * the identity recorded when the migration started (null when unknown).
   */
  String refusal(GateStatus gate, OperatorInput in, String startedBy) {
    String who = in.who();
    String policy = "gate " + gate.id() + " needs " + describe();
    if (gate.approvals().stream().anyMatch(a -> a.by().equals(who))) {
      return who
          + " has already approved gate "
          + gate.id()
          + " ("
          + gate.approvalCount()
          + "); "
          + policy
          + ": another person must approve (ferry approve ... --by NAME)";
    }
    if (!starterMayApprove && startedBy != null && startedBy.equals(who)) {
      return who
          + " started this migration and may not approve gate "
          + gate.id()
          + "; "
          + policy
          + ": ask someone else, or set gates."
          + gate.id()
          + ".starterMayApprove: true in the plan";
    }
    if (commentRequired && (in.comment() == null || in.comment().isBlank())) {
      return "gate " + gate.id() + " needs a comment with each approval; say why with -m \"...\"";
    }
    return null;
  }
}
