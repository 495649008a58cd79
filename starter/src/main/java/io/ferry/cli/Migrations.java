package io.ferry.cli;

import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookStatus;
import io.ferry.worker.ExitCodes;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowStub;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Reading a migration's status from the server, running or ended. */
final class Migrations {
  static final String STATUS_QUERY = "status";

  private Migrations() {}

  /**
   * The status query while the workflow runs; the result's status once it has completed (a closed
   * workflow's query would need a worker to replay it).
   */
  static RunbookStatus status(WorkflowClient client, String workflowId) {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    WorkflowExecutionDescription description = stub.describe();
    WorkflowExecutionStatus state = description.getStatus();
    if (state == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      try {
        RunbookResult result = stub.getResult(5, TimeUnit.SECONDS, RunbookResult.class);
        if (result != null && result.status() != null) {
          return result.status();
        }
      } catch (TimeoutException | WorkflowException e) {
        // fall through to the query
      }
    }
    try {
      return stub.query(STATUS_QUERY, RunbookStatus.class);
    } catch (WorkflowException e) {
      if (state != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        throw new CliFailure(
            ExitCodes.MIGRATION_NOT_COMPLETED,
            "workflow "
                + workflowId
                + " ended "
                + ListCommand.statusName(state)
                + " at "
                + description.getCloseTime()
                + " without a status to show: "
                + FerryCli.oneLine(e));
      }
      throw e;
    }
  }
}
