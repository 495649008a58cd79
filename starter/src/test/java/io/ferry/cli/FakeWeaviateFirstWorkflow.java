package io.ferry.cli;

import io.ferry.roadmap.weaviatefirst.WeaviateFirstPlan;
import io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps;
import io.ferry.roadmap.weaviatefirst.WeaviateFirstWorkflow;
import io.ferry.runbook.FerrySearchAttributes;
import io.ferry.runbook.GateStatus;
import io.ferry.runbook.OperatorAction;
import io.ferry.runbook.OperatorCommand;
import io.ferry.runbook.OperatorEntry;
import io.ferry.runbook.OperatorInput;
import io.ferry.runbook.OperatorReply;
import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepStatus;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for the weaviate-first workflow in CLI tests: it waits at the DNS cutover gate and
 * answers the operator controls as the contract says, without activities.
 */
public class FakeWeaviateFirstWorkflow implements WeaviateFirstWorkflow {
  static final String GATE = WeaviateFirstSteps.APPROVE_DNS_CUTOVER.id();

  private WeaviateFirstPlan plan;
  private RunbookState state = RunbookState.AWAITING_APPROVAL;
  private String decision = "pending";
  private String decidedBy;
  private final List<OperatorEntry> log = new ArrayList<>();

  @Override
  public RunbookResult migrate(WeaviateFirstPlan plan) {
    this.plan = plan;
    Workflow.await(() -> !decision.equals("pending"));
    state = decision.equals("approved") ? RunbookState.COMPLETED : RunbookState.ROLLED_BACK;
    // as the runbook does, so listings read the state without a worker
    Workflow.upsertTypedSearchAttributes(
        FerrySearchAttributes.STATE.valueSet(state.wireName()),
        FerrySearchAttributes.PHASE.valueSet("cutover"));
    return new RunbookResult(state, "fake: " + decision, status());
  }

  @Override
  public RunbookStatus status() {
    Instant now = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    List<StepStatus> steps = WeaviateFirstSteps.ALL.stream().map(StepStatus::pending).toList();
    return new RunbookStatus(
        "weaviate-first",
        plan == null ? null : plan.name(),
        Workflow.getInfo().getWorkflowId(),
        state,
        "cutover",
        GATE,
        now,
        now,
        steps,
        List.of(
            new GateStatus(
                GATE,
                "Approve the DNS cutover",
                decision,
                decidedBy,
                null,
                now,
                null,
                null,
                null,
                0)),
        null,
        null,
        null,
        List.copyOf(log),
        null,
        null);
  }

  @Override
  public OperatorReply operate(OperatorCommand command) {
    OperatorInput in = command.input();
    log.add(
        new OperatorEntry(
            Instant.ofEpochMilli(Workflow.currentTimeMillis()),
            command.action().wireName(),
            in.target(),
            in.who(),
            in.comment(),
            "accepted"));
    decidedBy = in.who();
    decision = command.action() == OperatorAction.APPROVE ? "approved" : "rejected";
    return new OperatorReply("gate " + GATE + " " + decision + " by " + in.who(), state);
  }

  @Override
  public void validateOperate(OperatorCommand command) {
    OperatorAction action = command.action();
    String target = command.input() == null ? null : command.input().target();
    if ((action == OperatorAction.APPROVE || action == OperatorAction.REJECT)
        && (!GATE.equals(target) || !decision.equals("pending"))) {
      throw new IllegalArgumentException(
          "no gate '" + target + "' is pending; pending gates: " + GATE);
    }
    if (action != OperatorAction.APPROVE && action != OperatorAction.REJECT) {
      throw new IllegalArgumentException(action.wireName() + " is not supported by the fake");
    }
  }

  @Override
  public void pause(OperatorInput input) {}

  @Override
  public void resume(OperatorInput input) {}

  @Override
  public void approve(OperatorInput input) {}

  @Override
  public void reject(OperatorInput input) {}

  @Override
  public void complete(OperatorInput input) {}

  @Override
  public void retry(OperatorInput input) {}

  @Override
  public void skip(OperatorInput input) {}

  @Override
  public void rollback(OperatorInput input) {}

  @Override
  public void extendSoak(OperatorInput input) {}

  @Override
  public void endSoak(OperatorInput input) {}
}
