package io.ferry.roadmap.appplatform;

import io.ferry.runbook.RunbookControls;
import io.ferry.runbook.RunbookResult;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Moves an app from its droplet to App Platform through the container registry (seed 002). */
@WorkflowInterface
public interface AppPlatformWorkflow extends RunbookControls {
  String TYPE = "AppPlatform";

  @WorkflowMethod(name = TYPE)
  RunbookResult migrate(AppPlatformPlan plan);
}
