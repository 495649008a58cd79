package io.ferry.runbook;

import io.ferry.plan.Durations;
import io.ferry.plan.GatePolicy;
import io.ferry.plan.OnTimeout;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A runbook's steps that wait for a person: gates, which operators approve or reject (by the plan's
 * approval rule, with reminders and a timeout policy), and manual steps, which an operator marks
 * done. An operator's rollback ends either wait at once.
 */
final class OperatorSteps {

  private final Runbook runbook;
  private final Map<String, String> guardedBy = new LinkedHashMap<>();

  OperatorSteps(Runbook runbook) {
    this.runbook = runbook;
  }

  /** Records that {@code gate} is the last gate before the point of no return {@code point}. */
  void guards(String gate, String point) {
    guardedBy.put(gate, point);
  }

  /**
   * Waits for an operator to approve. A reject, or a timeout under the rollback policy, rolls back.
   */
  void gate(StepDef def) {
    OperatorControls controls = runbook.controls();
    GateBook gates = runbook.gates();
    RunbookEvents events = runbook.events();
    runbook.requireKind(def, StepKind.GATE);
    runbook.boundary(def);
    GatePolicy policy = runbook.plan().gate(def.id());
    String onTimeout = policy.timeout() == null ? null : policy.onTimeout().wireName();
    ApprovalRule rule =
        runbook.policyVersion() >= Runbook.APPROVAL_POLICY_VERSION
            ? ApprovalRule.of(policy, runbook.plan().approvals(), guardedBy.get(def.id()))
            : ApprovalRule.SINGLE;
    gates.open(def, rule, Runbook.now(), deadline(policy.timeout()), onTimeout);
    runbook.update(def.id(), s -> s.started(Runbook.now()).with(StepState.WAITING));
    runbook.enter(RunbookState.AWAITING_APPROVAL);
    events.record(Notices.gateOpened(gates.get(def.id())));
    while (true) {
      boolean woke =
          awaitOrTimeout(
              policy.timeout(), () -> !gatePending(def.id()) || controls.rollbackRequested());
      if (controls.rollbackRequested() && gatePending(def.id())) {
        runbook.gates().close(def.id(), "withdrawn", controls.rollbackRequest(), Runbook.now());
        throw runbook.failedByRollback(def, "rollback requested while waiting");
      }
      if (woke) {
        GateStatus gate = gates.get(def.id());
        if (gate.decision().equals("approved")) {
          runbook.end(def, StepState.DONE, null, approvedBy(gate));
          runbook.enter(RunbookState.RUNNING);
          return;
        }
        runbook.end(
            def,
            StepState.FAILED,
            "rejected by " + gate.by() + Runbook.comment(gate.comment()),
            null);
        throw new Runbook.RollbackSignal(
            "gate " + def.id() + " rejected by " + gate.by() + Runbook.comment(gate.comment()));
      }
      if (policy.onTimeout() == OnTimeout.ROLLBACK) {
        gates.close(def.id(), "timed-out", null, Runbook.now());
        String why =
            "gate "
                + def.id()
                + " timed out after "
                + Durations.format(policy.timeout())
                + " without a decision";
        runbook.end(def, StepState.FAILED, why, null);
        events.record(Notices.gateTimedOut(gates.get(def.id()), why));
        throw new Runbook.RollbackSignal(why);
      }
      int reminder = gates.remind(def.id(), deadline(policy.timeout()));
      runbook.log(
          "remind",
          def.id(),
          "ferry",
          "no decision after " + Durations.format(policy.timeout()),
          "reminder " + reminder);
      runbook.publish();
      runbook
          .events()
          .record(Notices.gateReminder(gates.get(def.id()), reminder, policy.timeout()));
    }
  }

  /** Waits until an operator marks the checklist item done. */
  void manual(StepDef def) {
    OperatorControls controls = runbook.controls();
    RunbookEvents events = runbook.events();
    runbook.requireKind(def, StepKind.MANUAL);
    runbook.boundary(def);
    runbook.update(def.id(), s -> s.started(Runbook.now()).with(StepState.WAITING));
    runbook.enter(RunbookState.AWAITING_MANUAL_STEP);
    events.record(Notices.manualStepWaiting(def));
    Workflow.await(() -> controls.manualDone(def.id()) != null || controls.rollbackRequested());
    if (controls.manualDone(def.id()) == null) {
      throw runbook.failedByRollback(def, "rollback requested while waiting");
    }
    OperatorInput by = controls.manualDone(def.id());
    runbook.end(def, StepState.DONE, null, "done, confirmed by " + by.who() + Runbook.comment(by));
    runbook.enter(RunbookState.RUNNING);
  }

  private boolean awaitOrTimeout(Duration timeout, java.util.function.Supplier<Boolean> condition) {
    if (timeout == null) {
      Workflow.await(condition);
      return true;
    }
    return runbook.awaitUntil(timeout, condition);
  }

  private boolean gatePending(String id) {
    return runbook.gates().pending(id);
  }

  private Instant deadline(Duration timeout) {
    return timeout == null ? null : Runbook.now().plus(timeout);
  }

  /** "approved by ann (go)", or with a quorum "approved by ann (go), bob (checked)". */
  private static String approvedBy(GateStatus gate) {
    if (gate.approvals().size() <= 1) {
      return "approved by " + gate.by() + Runbook.comment(gate.comment());
    }
    return "approved by "
        + String.join(
            ", ",
            gate.approvals().stream().map(a -> a.by() + Runbook.comment(a.comment())).toList());
  }
}
