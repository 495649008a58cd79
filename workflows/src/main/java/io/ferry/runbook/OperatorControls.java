package io.ferry.runbook;

import io.ferry.plan.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What operators have asked a {@link Runbook} for (pause, rollback, a decision on a parked step, a
 * manual step done, a soak ended), and why a request cannot apply now. Signal and update handlers
 * call {@link #refusal} and {@link #apply}, which only change fields here or in the runbook's
 * books; the runbook's own thread reads them and does all the waiting.
 */
final class OperatorControls {

  static final String ACTIONS =
      "pause, resume, approve, reject, complete, retry, skip, rollback, extend-soak, end-soak";

  private final Runbook runbook;
  private final Map<String, OperatorInput> completedManualSteps = new LinkedHashMap<>();
  private boolean pauseRequested;
  private OperatorInput rollbackRequest;
  private OperatorAction decision;
  private OperatorInput decisionBy;
  private boolean soakEndRequested;

  OperatorControls(Runbook runbook) {
    this.runbook = runbook;
  }

  // ---------------------------------------------------------------- what the runbook reads

  boolean pauseRequested() {
    return pauseRequested;
  }

  /** Who asked to roll back, or null while nobody has. */
  OperatorInput rollbackRequest() {
    return rollbackRequest;
  }

  boolean rollbackRequested() {
    return rollbackRequest != null;
  }

  /** "rollback requested by ann (comment)". */
  String rollbackReason() {
    return "rollback requested by " + rollbackRequest.who() + Runbook.comment(rollbackRequest);
  }

  /** The decision on the parked step, or null while there is none. */
  OperatorAction decision() {
    return decision;
  }

  OperatorInput decisionBy() {
    return decisionBy;
  }

  /** Forgets the last decision: a step is parked anew, or the parked question became moot. */
  void clearDecision() {
    decision = null;
  }

  /** Who marked the manual step done, or null while nobody has. */
  OperatorInput manualDone(String stepId) {
    return completedManualSteps.get(stepId);
  }

  boolean soakEndRequested() {
    return soakEndRequested;
  }

  /** A new soak starts: an end requested for an earlier one does not end it. */
  void soakStarted() {
    soakEndRequested = false;
  }

  // ---------------------------------------------------------------- requests

  /** Why the request cannot apply now, or null when it can. Never changes anything. */
  String refusal(OperatorAction action, OperatorInput input) {
    if (action == null) {
      return "no action given; one of " + ACTIONS;
    }
    OperatorInput in = input == null ? OperatorInput.by(null) : input;
    RunbookState state = runbook.state();
    if (state.isFinal()) {
      return "the migration has already ended ("
          + state.wireName()
          + "); there is nothing to "
          + action.wireName();
    }
    String target = in.target() == null || in.target().isBlank() ? null : in.target();
    return switch (action) {
      case PAUSE ->
          pauseRequested
              ? "already paused (or pausing at the next step boundary)"
              : runbook.rollingBack() ? "the migration is rolling back; it cannot be paused" : null;
      case RESUME ->
          pauseRequested ? null : "the migration is not paused; there is nothing to resume";
      case APPROVE -> {
        String closed = gateRefusal(target);
        yield closed != null
            ? closed
            : runbook.gates().policyRefusal(target, in, runbook.startedBy());
      }
      case REJECT -> gateRefusal(target);
      case COMPLETE -> manualRefusal(target);
      case RETRY, SKIP -> decisionRefusal(action, target);
      case ROLLBACK -> rollbackRefusal();
      case EXTEND_SOAK -> extendRefusal(in);
      case END_SOAK -> runbook.soak() == null ? "no soak is running" : null;
    };
  }

  /** Applies a request; a signal that cannot apply is logged as ignored. */
  OperatorReply apply(OperatorAction action, OperatorInput input, boolean fromSignal) {
    OperatorInput in = input == null ? OperatorInput.by(null) : input;
    String refused = refusal(action, in);
    String actionName = action == null ? "unknown" : action.wireName();
    if (refused != null) {
      runbook.log(actionName, in.target(), in.who(), in.comment(), "ignored: " + refused);
      if (!fromSignal) {
        throw new IllegalArgumentException(refused);
      }
      return new OperatorReply("ignored: " + refused, runbook.state());
    }
    String message = applyChecked(action, in);
    runbook.log(actionName, in.target(), in.who(), in.comment(), "accepted");
    return new OperatorReply(message, runbook.state());
  }

  private String applyChecked(OperatorAction action, OperatorInput in) {
    Instant now = Runbook.now();
    switch (action) {
      case PAUSE -> {
        pauseRequested = true;
        return "pausing at the next step boundary";
      }
      case RESUME -> {
        pauseRequested = false;
        return "resuming";
      }
      case APPROVE -> {
        return runbook.gates().approve(in.target(), in, now);
      }
      case REJECT -> {
        runbook.gates().close(in.target(), "rejected", in, now);
        return "gate " + in.target() + " rejected; rolling back";
      }
      case COMPLETE -> {
        String id =
            in.target() == null || in.target().isBlank()
                ? runbook.waitingManualStep()
                : in.target();
        completedManualSteps.put(id, in);
        return "manual step " + id + " marked done";
      }
      case RETRY, SKIP -> {
        decision = action;
        decisionBy = in;
        Parked parked = runbook.parked();
        return (action == OperatorAction.RETRY ? "retrying " : "skipping ")
            + parked.during()
            + " of "
            + parked.step();
      }
      case ROLLBACK -> {
        rollbackRequest = in;
        return "rolling back";
      }
      case EXTEND_SOAK -> {
        Duration more = Durations.parse(in.duration());
        SoakStatus soak = runbook.extendSoak(more);
        return "soak extended by " + Durations.format(more) + " to " + Times.format(soak.endsAt());
      }
      case END_SOAK -> {
        soakEndRequested = true;
        return "ending the soak now";
      }
      default -> throw new IllegalStateException("unhandled action " + action);
    }
  }

  private String gateRefusal(String target) {
    return runbook
        .gates()
        .refusal(target, runbook.defs(), runbook.roadmap(), runbook.currentStep());
  }

  private String manualRefusal(String target) {
    String waiting = runbook.waitingManualStep();
    if (target == null) {
      return waiting == null ? "no manual step is waiting" : null;
    }
    StepDef def = runbook.defs().get(target);
    if (def == null || def.kind() != StepKind.MANUAL) {
      return "'" + target + "' is not a manual step of " + runbook.roadmap();
    }
    if (completedManualSteps.containsKey(target)) {
      return "manual step " + target + " is already done";
    }
    return target.equals(waiting) ? null : "manual step " + target + " is not waiting yet";
  }

  private String decisionRefusal(OperatorAction action, String target) {
    Parked parked = runbook.parked();
    if (parked == null) {
      return "no step is parked"
          + (target == null ? "" : " ('" + target + "' is not waiting for a decision)")
          + "; retry and skip apply only after a failure";
    }
    if (target != null && !target.equals(parked.step())) {
      return "'" + target + "' is not parked; the parked step is " + parked.step();
    }
    if (decision != null) {
      return "a decision (" + decision.wireName() + ") is already being carried out";
    }
    if (!parked.choices().contains(action.wireName())) {
      return action.wireName()
          + " is not possible for "
          + parked.step()
          + "; choose "
          + String.join(" or ", parked.choices());
    }
    return null;
  }

  private String rollbackRefusal() {
    String pointOfNoReturn = runbook.pointOfNoReturn();
    if (pointOfNoReturn != null) {
      StepDef def = runbook.defs().get(pointOfNoReturn);
      return "rollback refused: step "
          + pointOfNoReturn
          + " ("
          + def.title()
          + ") is a point of no return and ran at "
          + runbook.pointOfNoReturnAt()
          + "; the steps before it can no longer be undone";
    }
    if (runbook.rollingBack()) {
      Parked parked = runbook.parked();
      return "already rolling back"
          + (parked == null
              ? ""
              : "; the undo of " + parked.step() + " failed: choose retry or skip");
    }
    if (rollbackRequest != null) {
      return "rollback already requested by " + rollbackRequest.who();
    }
    return null;
  }

  private String extendRefusal(OperatorInput in) {
    if (runbook.soak() == null) {
      return "no soak is running";
    }
    try {
      Duration more = Durations.parse(in.duration());
      if (more.isNegative() || more.isZero()) {
        return "extend the soak by a positive duration, such as 2d";
      }
      if (more.compareTo(Duration.ofDays(90)) > 0) {
        return "extend the soak by at most 90d at a time";
      }
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }
}
