package io.ferry.runbook;

import java.time.Instant;
import java.util.List;

/**
 * Everything an operator needs to know about a migration, answered by the {@code status} query.
 *
 * @param pointOfNoReturn the id of the irreversible step that has run, or null
 * @param outcome a sentence on how it ended, or null while it runs
 */
public record RunbookStatus(
    String roadmap,
    String plan,
    String workflowId,
    RunbookState state,
    String phase,
    String currentStep,
    Instant startedAt,
    Instant updatedAt,
    List<StepStatus> steps,
    List<GateStatus> gates,
    Parked parked,
    SoakStatus soak,
    String pointOfNoReturn,
    List<OperatorEntry> operatorLog,
    String outcome) {

  public StepStatus step(String id) {
    return steps.stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
  }

  public List<GateStatus> pendingGates() {
    return gates.stream().filter(g -> g.decision().equals("pending")).toList();
  }

  public List<StepStatus> waitingManualSteps() {
    return steps.stream()
        .filter(s -> s.kind() == StepKind.MANUAL && s.state() == StepState.WAITING)
        .toList();
  }
}
