package io.ferry.roadmap.configflip;

import io.ferry.runbook.RunbookControls;
import io.ferry.runbook.RunbookResult;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A roadmap registered only in tests: it shows what adding a roadmap takes. */
@WorkflowInterface
public interface ConfigFlipWorkflow extends RunbookControls {
  @WorkflowMethod
  RunbookResult migrate(ConfigFlipPlan plan);
}
