package io.ferry.runbook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runbook's gates: which are open, who approved them under which rule, and why a request to
 * approve or reject one cannot apply. Only bookkeeping; the runbook does the waiting.
 */
final class GateBook {

  private final Map<String, GateStatus> gates = new LinkedHashMap<>();
  private final Map<String, ApprovalRule> rules = new LinkedHashMap<>();

  void open(StepDef def, ApprovalRule rule, Instant now, Instant timeoutAt, String onTimeout) {
    rules.put(def.id(), rule);
    gates.put(
        def.id(),
        new GateStatus(
            def.id(),
            def.title(),
            "pending",
            null,
            null,
            now,
            null,
            timeoutAt,
            onTimeout,
            0,
            rule.quorum(),
            List.of(),
            rule.equals(ApprovalRule.SINGLE) ? null : rule.describe()));
  }

  GateStatus get(String id) {
    return gates.get(id);
  }

  Collection<GateStatus> all() {
    return gates.values();
  }

  boolean pending(String id) {
    GateStatus gate = gates.get(id);
    return gate != null && gate.decision().equals("pending");
  }

  List<String> pendingIds() {
    return gates.values().stream()
        .filter(g -> g.decision().equals("pending"))
        .map(GateStatus::id)
        .toList();
  }

  boolean anyApproved() {
    return gates.values().stream().anyMatch(g -> g.decision().equals("approved"));
  }

  /**
   * Records an approval; the gate is approved once its quorum of distinct people has approved.
   * Returns what happened, for the operator's reply.
   */
  String approve(String id, OperatorInput by, Instant now) {
    GateStatus gate = gates.get(id);
    List<Approval> approvals = new ArrayList<>(gate.approvals());
    approvals.add(new Approval(by.who(), now, by.comment()));
    gates.put(id, with(gate, gate.decision(), null, null, null, gate.timeoutAt(), approvals));
    if (approvals.size() >= gate.quorum()) {
      close(id, "approved", by, now);
      return "gate " + id + " approved";
    }
    return "approval recorded for gate "
        + id
        + ": "
        + gates.get(id).approvalCount()
        + "; waiting for another person";
  }

  void close(String id, String decided, OperatorInput by, Instant now) {
    GateStatus gate = gates.get(id);
    gates.put(
        id,
        with(
            gate,
            decided,
            by == null ? null : by.who(),
            by == null ? null : by.comment(),
            now,
            null,
            gate.approvals()));
  }

  /** Counts a reminder and sets the next timeout; returns the reminder's number. */
  int remind(String id, Instant nextTimeoutAt) {
    GateStatus gate = gates.get(id);
    gates.put(
        id,
        new GateStatus(
            gate.id(),
            gate.title(),
            gate.decision(),
            null,
            null,
            gate.openedAt(),
            null,
            nextTimeoutAt,
            gate.onTimeout(),
            gate.reminders() + 1,
            gate.quorum(),
            gate.approvals(),
            gate.policy()));
    return gate.reminders() + 1;
  }

  /**
   * Why an approve or reject of {@code target} cannot apply: no gate named, an unknown gate, one
   * not open yet (the migration is at {@code currentStep}) or already decided; null when it is
   * open.
   */
  String refusal(String target, Map<String, StepDef> defs, String roadmap, String currentStep) {
    List<String> pending = pendingIds();
    if (target == null) {
      return pending.isEmpty()
          ? "no gate is waiting for a decision"
          : "name the gate; waiting: " + String.join(", ", pending);
    }
    GateStatus gate = gates.get(target);
    if (gate == null) {
      StepDef def = defs.get(target);
      if (def != null && def.kind() == StepKind.GATE) {
        return "gate "
            + target
            + " is not open yet (the migration is at "
            + (currentStep == null ? "its start" : currentStep)
            + ")";
      }
      return "unknown gate '"
          + target
          + "'; gates of "
          + roadmap
          + ": "
          + String.join(
              ", ",
              defs.values().stream()
                  .filter(d -> d.kind() == StepKind.GATE)
                  .map(StepDef::id)
                  .toList());
    }
    if (!gate.decision().equals("pending")) {
      return "gate "
          + target
          + " was already "
          + gate.decision()
          + (gate.by() == null ? "" : " by " + gate.by())
          + (gate.decidedAt() == null ? "" : " at " + gate.decidedAt());
    }
    return null;
  }

  /** Why the approval policy refuses {@code in} for the open gate {@code id}, or null. */
  String policyRefusal(String id, OperatorInput in, String startedBy) {
    ApprovalRule rule = rules.get(id);
    return rule == null ? null : rule.refusal(gates.get(id), in, startedBy);
  }

  private static GateStatus with(
      GateStatus gate,
      String decision,
      String by,
      String comment,
      Instant decidedAt,
      Instant timeoutAt,
      List<Approval> approvals) {
    return new GateStatus(
        gate.id(),
        gate.title(),
        decision,
        by,
        comment,
        gate.openedAt(),
        decidedAt,
        timeoutAt,
        gate.onTimeout(),
        gate.reminders(),
        gate.quorum(),
        approvals,
        gate.policy());
  }
}
