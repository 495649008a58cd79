package io.ferry.runbook;

import java.time.Instant;
import java.util.List;

/**
 * A gate as the status query reports it.
 *
 * @param decision pending, approved, rejected or timed-out
 * @param by who decided: the approver who completed the quorum, or who rejected
 * @param timeoutAt when the gate times out, or null when it waits forever
 * @param onTimeout what happens then: rollback or remind-and-wait
 * @param quorum how many distinct approvals it needs (1 for runs started before approval policies)
 * @param approvals the approvals so far, in order
 * @param policy the rule in words, such as "2 distinct approvers, a comment, not the starter"
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
    int reminders,
    int quorum,
    List<Approval> approvals,
    String policy) {

  public GateStatus {
    quorum = Math.max(quorum, 1);
    approvals = approvals == null ? List.of() : List.copyOf(approvals);
  }

  /** A gate without an approval policy: one approval decides. */
  public GateStatus(
      String id,
      String title,
      String decision,
      String by,
      String comment,
      Instant openedAt,
      Instant decidedAt,
      Instant timeoutAt,
      String onTimeout,
      int reminders) {
    this(
        id, title, decision, by, comment, openedAt, decidedAt, timeoutAt, onTimeout, reminders, 1,
        List.of(), null);
  }

  /** "1 of 2 approvals", for a gate that needs more than one. */
  public String approvalCount() {
    return approvals.size() + " of " + quorum + " approval" + (quorum == 1 ? "" : "s");
  }
}
