package io.ferry.runbook;

import io.ferry.plan.Durations;
import io.ferry.plan.NotifyEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The runbook's events, one factory per kind: their words, facts and commands, written once. */
final class Notices {

  private Notices() {}

  /** Label and value pairs in order; a null value is left out. */
  static Map<String, String> facts(String... labelsAndValues) {
    Map<String, String> facts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < labelsAndValues.length; i += 2) {
      if (labelsAndValues[i + 1] != null) {
        facts.put(labelsAndValues[i], labelsAndValues[i + 1]);
      }
    }
    return facts;
  }

  private static Map<String, String> gateFacts(GateStatus gate) {
    return facts(
        "gate",
        gate.id() + ": " + gate.title(),
        "approvals",
        gate.policy() == null ? null : gate.approvalCount() + "; it needs " + gate.policy(),
        "times out",
        gate.timeoutAt() == null
            ? null
            : Times.format(gate.timeoutAt()) + " (then " + gate.onTimeout() + ")");
  }

  private static List<String> gateCommands(GateStatus gate) {
    boolean comment = gate.policy() != null && gate.policy().contains("a comment");
    return List.of(
        comment
            ? RunbookEvents.ferry("approve", gate.id(), "-m \"why\"")
            : RunbookEvents.ferry("approve", gate.id()),
        RunbookEvents.ferry("reject", gate.id(), "-m \"why\""));
  }

  /** One command per choice a parked step offers. */
  static List<String> choiceCommands(String step, List<String> choices) {
    return choices.stream()
        .map(
            choice ->
                choice.equals("rollback")
                    ? RunbookEvents.ferry("rollback", "-m \"why\"")
                    : RunbookEvents.ferry(choice, step, "-m \"why\""))
        .toList();
  }

  /** The steps whose undo has run (or was skipped), or "nothing yet". */
  static String undone(Collection<StepStatus> steps) {
    List<String> undone =
        steps.stream()
            .filter(
                s ->
                    s.state() == StepState.COMPENSATED
                        || s.state() == StepState.COMPENSATION_SKIPPED)
            .map(
                s ->
                    s.id() + (s.state() == StepState.COMPENSATION_SKIPPED ? " (undo skipped)" : ""))
            .toList();
    return undone.isEmpty() ? "nothing yet" : String.join(", ", undone);
  }

  // ---------------------------------------------------------------- the events, by kind

  static RunbookEvent gateOpened(GateStatus gate) {
    return new RunbookEvent(
        NotifyEvent.GATE_OPENED,
        gate.id(),
        "gate " + gate.id() + " waits for approval: " + gate.title(),
        gateFacts(gate),
        gateCommands(gate));
  }

  static RunbookEvent gateReminder(GateStatus gate, int reminder, Duration after) {
    return new RunbookEvent(
        NotifyEvent.GATE_REMINDER,
        gate.id(),
        "reminder "
            + reminder
            + ": gate "
            + gate.id()
            + " still waits, "
            + Durations.format(after)
            + " after "
            + (reminder == 1 ? "it opened" : "the last reminder"),
        gateFacts(gate),
        gateCommands(gate));
  }

  static RunbookEvent gateTimedOut(GateStatus gate, String why) {
    return new RunbookEvent(
        NotifyEvent.GATE_TIMED_OUT,
        gate.id(),
        why + "; rolling back",
        gateFacts(gate),
        List.of(RunbookEvents.ferry("status")));
  }

  static RunbookEvent manualStepWaiting(StepDef def) {
    return new RunbookEvent(
        NotifyEvent.MANUAL_STEP_WAITING,
        def.id(),
        "manual step " + def.id() + " waits for a person: " + def.title(),
        facts("step", def.id() + ": " + def.title()),
        List.of(RunbookEvents.ferry("complete", def.id(), "-m \"what was done\"")));
  }

  static RunbookEvent stepParked(
      StepDef def,
      String during,
      String error,
      Collection<StepStatus> steps,
      List<String> choices) {
    return new RunbookEvent(
        NotifyEvent.STEP_PARKED,
        def.id(),
        "the " + during + " of " + def.id() + " failed and waits for a decision",
        facts(
            "failed",
            during + " of " + def.id() + ": " + def.title(),
            "error",
            error,
            "undone so far",
            undone(steps)),
        choiceCommands(def.id(), choices));
  }

  static RunbookEvent rollbackFinished(
      String reason, String outcome, Collection<StepStatus> steps) {
    return new RunbookEvent(
        NotifyEvent.ROLLBACK_FINISHED,
        null,
        outcome,
        facts("why", reason, "undone", undone(steps)),
        List.of());
  }

  static RunbookEvent pointOfNoReturnPassed(StepDef def, String result) {
    return new RunbookEvent(
        NotifyEvent.POINT_OF_NO_RETURN_PASSED,
        def.id(),
        "point of no return passed: " + def.title() + "; rollback is no longer possible",
        facts("step", def.id(), "result", result),
        List.of());
  }

  static RunbookEvent soakEnding(StepDef def, Duration left, Instant endsAt) {
    return new RunbookEvent(
        NotifyEvent.SOAK_ENDING,
        def.id(),
        "soak " + def.id() + " ends in " + Durations.format(left) + ", at " + Times.format(endsAt),
        facts("step", def.id() + ": " + def.title(), "ends at", Times.format(endsAt)),
        List.of(
            RunbookEvents.ferry("extend-soak", "2d"),
            RunbookEvents.ferry("rollback", "-m \"why\"")));
  }

  static RunbookEvent soakBreach(String step, String breach) {
    return new RunbookEvent(
        NotifyEvent.SOAK_BREACH,
        step,
        "soak " + step + " breached its limits: " + breach,
        facts("step", step, "breach", breach),
        List.of(RunbookEvents.ferry("status"), RunbookEvents.ferry("rollback", "-m \"why\"")));
  }

  static RunbookEvent completed(String roadmap, String outcome) {
    return new RunbookEvent(
        NotifyEvent.COMPLETED, null, outcome, facts("roadmap", roadmap), List.of());
  }
}
