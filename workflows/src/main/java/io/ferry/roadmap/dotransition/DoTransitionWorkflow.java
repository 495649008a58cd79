package io.ferry.roadmap.dotransition;

import io.ferry.runbook.RunbookControls;
import io.ferry.runbook.RunbookResult;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Moves a single development VM onto the two-node DigitalOcean setup (seed 000). */
@WorkflowInterface
public interface DoTransitionWorkflow extends RunbookControls {
  String TYPE = "DoTransition";

  @WorkflowMethod(name = TYPE)
  RunbookResult migrate(DoTransitionPlan plan);
}
