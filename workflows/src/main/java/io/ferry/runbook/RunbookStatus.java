package io.ferry.runbook;

import java.time.Instant;
import java.util.List;

/**
 * Everything an operator needs to know about a migration, answered by the {@code status} query.
 *
 * @param pointOfNoReturn the id of the irreversible step that has run, or null
 * @param outcome a sentence on how it ended, or null while it runs
 * @param nextWakeAt when the durable timed wait the workflow is in ends (a monitor round, a gate's
 *     timeout or reminder, a soak), or null while it runs a step or waits on nothing timed
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
    String outcome,
    Instant nextWakeAt) {

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
