package io.ferry.roadmap.k3s;

import io.ferry.runbook.RunbookControls;
import io.ferry.runbook.RunbookResult;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Moves a Docker Swarm deployment to a K3s cluster with Helm and a weighted shift (seed 003). */
@WorkflowInterface
public interface K3sWorkflow extends RunbookControls {
  String TYPE = "K3s";

  @WorkflowMethod(name = TYPE)
  RunbookResult migrate(K3sPlan plan);
}
