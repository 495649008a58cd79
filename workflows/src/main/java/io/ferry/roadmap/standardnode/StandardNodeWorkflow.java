package io.ferry.roadmap.standardnode;

import io.ferry.runbook.RunbookControls;
import io.ferry.runbook.RunbookResult;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A standard node beside an old stack, replicas of its database, traffic moved gradually. */
@WorkflowInterface
public interface StandardNodeWorkflow extends RunbookControls {
  @WorkflowMethod
  RunbookResult migrate(StandardNodePlan plan);
}
