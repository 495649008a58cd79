package io.ferry.roadmap.weaviatefirst;

import io.ferry.runbook.RunbookControls;
import io.ferry.runbook.RunbookResult;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Moves a Redis-protocol memory store to Weaviate + PostgreSQL (seed 001). */
@WorkflowInterface
public interface WeaviateFirstWorkflow extends RunbookControls {
  String TYPE = "WeaviateFirst";

  @WorkflowMethod(name = TYPE)
  RunbookResult migrate(WeaviateFirstPlan plan);
}
