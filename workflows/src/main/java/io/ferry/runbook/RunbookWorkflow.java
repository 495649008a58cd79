package io.ferry.runbook;

import io.ferry.plan.Plan;
import io.temporal.workflow.Workflow;
import java.util.List;

/**
 * The operator controls every roadmap workflow shares, written once: each signal and the update go
 * to the same {@link Runbook}. A roadmap extends this, passes its step table, and runs its
 * checklist with {@link #runbook}.
 */
public abstract class RunbookWorkflow implements RunbookControls {

  protected final Runbook runbook;

  protected RunbookWorkflow(String roadmap, Plan plan, List<StepDef> stepTable) {
    this.runbook = new Runbook(roadmap, plan, stepTable);
  }

  /** The idempotency key of a step: a retried create finds what the first attempt made. */
  protected static String key(StepDef step) {
    return Workflow.getInfo().getWorkflowId() + ":" + step.id();
  }

  @Override
  public RunbookStatus status() {
    return runbook.status();
  }

  @Override
  public void pause(OperatorInput input) {
    runbook.apply(OperatorAction.PAUSE, input, true);
  }

  @Override
  public void resume(OperatorInput input) {
    runbook.apply(OperatorAction.RESUME, input, true);
  }

  @Override
  public void approve(OperatorInput input) {
    runbook.apply(OperatorAction.APPROVE, input, true);
  }

  @Override
  public void reject(OperatorInput input) {
    runbook.apply(OperatorAction.REJECT, input, true);
  }

  @Override
  public void complete(OperatorInput input) {
    runbook.apply(OperatorAction.COMPLETE, input, true);
  }

  @Override
  public void retry(OperatorInput input) {
    runbook.apply(OperatorAction.RETRY, input, true);
  }

  @Override
  public void skip(OperatorInput input) {
    runbook.apply(OperatorAction.SKIP, input, true);
  }

  @Override
  public void rollback(OperatorInput input) {
    runbook.apply(OperatorAction.ROLLBACK, input, true);
  }

  @Override
  public void extendSoak(OperatorInput input) {
    runbook.apply(OperatorAction.EXTEND_SOAK, input, true);
  }

  @Override
  public void endSoak(OperatorInput input) {
    runbook.apply(OperatorAction.END_SOAK, input, true);
  }

  @Override
  public OperatorReply operate(OperatorCommand command) {
    return runbook.apply(command.action(), command.input(), false);
  }

  @Override
  public void validateOperate(OperatorCommand command) {
    String refused =
        command == null ? "empty request" : runbook.refusal(command.action(), command.input());
    if (refused != null) {
      throw new IllegalArgumentException(refused);
    }
  }
}
