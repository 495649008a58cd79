package io.ferry.cli;

import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookStatus;
import io.ferry.worker.ExitCodes;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowStub;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Reading a migration's status from the server, running or ended, within a deadline. */
final class Migrations {
  static final String STATUS_QUERY = "status";

  private final WorkflowClient client;
  private final ServerFacts facts;
  private final Deadline deadline;

  Migrations(WorkflowClient client, ServerFacts facts, Deadline deadline) {
    this.client = client;
    this.facts = facts;
    this.deadline = deadline;
  }

  /**
   * The status query while the workflow runs; the result's status once it has completed (a closed
   * workflow's query would need a worker to replay it). When no worker answers, says so with what
   * the server itself knows.
   */
  RunbookStatus status(String workflowId) {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    WorkflowExecutionDescription description = deadline.call(stub::describe);
    WorkflowExecutionStatus state = description.getStatus();
    if (state == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      RunbookStatus ended = endedStatus(stub);
      if (ended != null) {
        return ended;
      }
    }
    boolean running = state == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    OptionalInt pollers = running ? facts.pollers(description.getTaskQueue()) : OptionalInt.empty();
    if (pollers.isPresent() && pollers.getAsInt() == 0) {
      throw facts.noWorker("no status for " + workflowId, pollers, facts.record(workflowId));
    }
    try {
      return deadline.call(() -> stub.query(STATUS_QUERY, RunbookStatus.class));
    } catch (Deadline.Passed | WorkflowException e) {
      if (!running) {
        throw new CliFailure(
            ExitCodes.MIGRATION_NOT_COMPLETED,
            "migration "
                + workflowId
                + " ended "
                + ListCommand.statusName(state)
                + " at "
                + StatusView.time(description.getCloseTime())
                + " without a status to show: "
                + FerryCli.oneLine(e)
                + "\n"
                + facts.record(workflowId).describe());
      }
      if (e instanceof Deadline.Passed) {
        throw facts.noWorker("no status for " + workflowId, pollers, facts.record(workflowId));
      }
      throw e;
    }
  }

  /** The status the workflow returned, or null when it has none (it did not complete). */
  private RunbookStatus endedStatus(WorkflowStub stub) {
    try {
      RunbookResult result =
          stub.getResult(
              deadline.duration().toMillis(), TimeUnit.MILLISECONDS, RunbookResult.class);
      return result == null ? null : result.status();
    } catch (TimeoutException | WorkflowException e) {
      return null;
    }
  }

  /**
   * When the migration has ended: how and when, and where to look; null while it runs. Operator
   * commands refuse an ended migration with this rather than "no such migration".
   */
  String ended(String workflowId) {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    WorkflowExecutionDescription description = deadline.call(stub::describe);
    if (description.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      return null;
    }
    RunbookStatus status =
        description.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
            ? endedStatus(stub)
            : null;
    String how =
        status != null && status.state() != null
            ? status.state().wireName()
            : ListCommand.statusName(description.getStatus());
    return "migration "
        + workflowId
        + " has ended: "
        + how
        + " at "
        + StatusView.time(description.getCloseTime())
        + (status == null || status.outcome() == null ? "" : " (" + status.outcome() + ")")
        + "; there is nothing left to steer. `ferry status "
        + workflowId
        + "` shows how it ended";
  }
}
