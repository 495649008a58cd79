package io.ferry.runbook;

import io.ferry.plan.Durations;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The facts and commands the runbook's events carry, worded once for every roadmap. */
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

  static Map<String, String> gateFacts(GateStatus gate) {
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

  static List<String> gateCommands(GateStatus gate) {
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

  static String soakEnding(String step, java.time.Duration left, java.time.Instant endsAt) {
    return "soak " + step + " ends in " + Durations.format(left) + ", at " + Times.format(endsAt);
  }
}
