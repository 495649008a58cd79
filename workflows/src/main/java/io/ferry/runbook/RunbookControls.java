package io.ferry.runbook;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;

/**
 * The operator controls every roadmap workflow offers. Signals serve the Web UI and {@code temporal
 * workflow signal}; a request that cannot apply is logged as ignored. The {@code operate} update
 * serves the CLI: its validator rejects a bad request with a message before it reaches history.
 */
public interface RunbookControls {

  String OPERATE = "operate";

  @QueryMethod(name = "status")
  RunbookStatus status();

  @SignalMethod(name = "pause")
  void pause(OperatorInput input);

  @SignalMethod(name = "resume")
  void resume(OperatorInput input);

  @SignalMethod(name = "approve")
  void approve(OperatorInput input);

  @SignalMethod(name = "reject")
  void reject(OperatorInput input);

  @SignalMethod(name = "complete")
  void complete(OperatorInput input);

  @SignalMethod(name = "retry")
  void retry(OperatorInput input);

  @SignalMethod(name = "skip")
  void skip(OperatorInput input);

  @SignalMethod(name = "rollback")
  void rollback(OperatorInput input);

  @SignalMethod(name = "extend-soak")
  void extendSoak(OperatorInput input);

  @SignalMethod(name = "end-soak")
  void endSoak(OperatorInput input);

  @UpdateMethod(name = OPERATE)
  OperatorReply operate(OperatorCommand command);

  @UpdateValidatorMethod(updateName = OPERATE)
  void validateOperate(OperatorCommand command);
}
