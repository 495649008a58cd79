package io.ferry.cli;

import io.ferry.runbook.FerrySearchAttributes;
import io.ferry.worker.ExitCodes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryReverseRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.common.SearchAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * What the server itself knows, asked with a deadline and without a worker: whether it serves the
 * namespace, whether any worker polls Ferry's task queue, and a migration's record (execution
 * status, Ferry's search attributes, the last event).
 */
final class ServerFacts {
  /** A poller not seen for this long has gone (a worker's long poll lasts about a minute). */
  static final Duration POLLER_SEEN_WITHIN = Duration.ofMinutes(2);

  private final FerryCli ferry;
  private final WorkflowClient client;
  private final Deadline deadline;

  ServerFacts(FerryCli ferry, WorkflowClient client, Deadline deadline) {
    this.ferry = ferry;
    this.client = client;
    this.deadline = deadline;
  }

  private WorkflowServiceBlockingStub stub() {
    return client
        .getWorkflowServiceStubs()
        .blockingStub()
        .withDeadlineAfter(deadline.duration().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Refuses a namespace the server does not serve, before anything is sent to it. */
  void requireNamespace() {
    try {
      stub()
          .describeNamespace(
              DescribeNamespaceRequest.newBuilder().setNamespace(ferry.namespace()).build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw new CliFailure(
            ExitCodes.SERVER_NOT_SET_UP,
            "the server at "
                + ferry.address()
                + " does not serve namespace "
                + ferry.namespace()
                + "; name one it serves with --namespace (or TEMPORAL_NAMESPACE), or create it"
                + " (`temporal operator namespace create --namespace "
                + ferry.namespace()
                + "`)",
            e);
      }
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        throw e;
      }
    }
  }

  /**
   * How many workers poll the task queue for workflow tasks, or empty when the server cannot tell
   * (the embedded server of {@code ferry dev} and the tests does not describe task queues).
   */
  OptionalInt pollers(String taskQueue) {
    try {
      Instant seenSince = Instant.now().minus(POLLER_SEEN_WITHIN);
      return OptionalInt.of(
          (int)
              stub()
                  .describeTaskQueue(
                      DescribeTaskQueueRequest.newBuilder()
                          .setNamespace(ferry.namespace())
                          .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue).build())
                          .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)
                          .build())
                  .getPollersList()
                  .stream()
                  .filter(p -> !p.hasLastAccessTime() || seen(p).isAfter(seenSince))
                  .count());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        throw e;
      }
      return OptionalInt.empty(); // not implemented here, or not allowed: the caller cannot tell
    }
  }

  private static Instant seen(PollerInfo p) {
    return Instant.ofEpochSecond(
        p.getLastAccessTime().getSeconds(), p.getLastAccessTime().getNanos());
  }

  /** The server's record of a migration; describing needs no worker. */
  Record record(String workflowId) {
    WorkflowExecutionDescription d =
        deadline.call(() -> client.newUntypedWorkflowStub(workflowId).describe());
    SearchAttributes attributes = d.getTypedSearchAttributes();
    HistoryEvent last = lastEvent(d.getExecution());
    return new Record(
        workflowId,
        d.getExecution().getRunId(),
        d.getStatus(),
        d.getTaskQueue(),
        d.getStartTime(),
        d.getCloseTime(),
        attributes.get(FerrySearchAttributes.STATE),
        attributes.get(FerrySearchAttributes.PHASE),
        last == null ? null : eventName(last),
        last == null
            ? null
            : Instant.ofEpochSecond(
                last.getEventTime().getSeconds(), last.getEventTime().getNanos()));
  }

  /** The newest event: one reverse page where the server has it, else the pages forward. */
  private HistoryEvent lastEvent(WorkflowExecution execution) {
    try {
      try {
        var page =
            stub()
                .getWorkflowExecutionHistoryReverse(
                    GetWorkflowExecutionHistoryReverseRequest.newBuilder()
                        .setNamespace(ferry.namespace())
                        .setExecution(execution)
                        .setMaximumPageSize(1)
                        .build());
        return page.getHistory().getEventsCount() == 0 ? null : page.getHistory().getEvents(0);
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
          throw e;
        }
      }
      HistoryEvent last = null;
      com.google.protobuf.ByteString token = com.google.protobuf.ByteString.EMPTY;
      for (int pages = 0; pages < 50; pages++) {
        GetWorkflowExecutionHistoryResponse page =
            stub()
                .getWorkflowExecutionHistory(
                    GetWorkflowExecutionHistoryRequest.newBuilder()
                        .setNamespace(ferry.namespace())
                        .setExecution(execution)
                        .setNextPageToken(token)
                        .build());
        int n = page.getHistory().getEventsCount();
        if (n > 0) {
          last = page.getHistory().getEvents(n - 1);
        }
        token = page.getNextPageToken();
        if (token.isEmpty()) {
          break;
        }
      }
      return last;
    } catch (StatusRuntimeException e) {
      return null; // the rest of the record still helps
    }
  }

  private static String eventName(HistoryEvent e) {
    String name = e.getEventType().name().replace("EVENT_TYPE_", "");
    StringBuilder words = new StringBuilder();
    for (String part : name.split("_")) {
      words.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
    }
    return words.toString();
  }

  /** One migration as the server records it, without asking a worker. */
  record Record(
      String workflowId,
      String runId,
      WorkflowExecutionStatus status,
      String taskQueue,
      Instant startedAt,
      Instant closedAt,
      String ferryState,
      String ferryPhase,
      String lastEvent,
      Instant lastEventAt) {

    boolean running() {
      return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    }

    /** A few lines: what the server knows while no worker answers. */
    String describe() {
      return "what the server knows about "
          + workflowId
          + ":\n  execution: "
          + ListCommand.statusName(status)
          + ", started "
          + StatusView.time(startedAt)
          + (closedAt == null ? "" : ", closed " + StatusView.time(closedAt))
          + "\n  state: "
          + StatusView.orDash(ferryState)
          + "   phase: "
          + StatusView.orDash(ferryPhase)
          + "   (search attributes, as the workflow last set them)"
          + "\n  last event: "
          + (lastEvent == null ? "-" : lastEvent + " at " + StatusView.time(lastEventAt));
    }
  }

  /** Why no worker answered, what the server knows, and what to run. */
  CliFailure noWorker(String what, OptionalInt pollers, Record record) {
    String queue = record == null ? StartCommand.TASK_QUEUE : record.taskQueue();
    String who =
        pollers.isEmpty()
            ? "no worker answered within "
                + io.ferry.plan.Durations.format(deadline.duration())
                + " (this server cannot say whether one polls task queue "
                + queue
                + ")"
            : pollers.getAsInt() == 0
                ? "no worker polls task queue " + queue + " in namespace " + ferry.namespace()
                : pollers.getAsInt()
                    + " worker(s) poll task queue "
                    + queue
                    + " but none answered within "
                    + io.ferry.plan.Durations.format(deadline.duration())
                    + " (busy or stuck; see the worker's log)";
    return new CliFailure(
        ExitCodes.NO_WORKER,
        what
            + ": "
            + who
            + ".\n"
            + (record == null ? "" : record.describe() + "\n")
            + "Start a worker: `ferry worker --fleet real --address "
            + ferry.address()
            + " --namespace "
            + ferry.namespace()
            + "` where the migration's hosts are reachable (`--fleet sim` or `ferry dev` to"
            + " try Ferry), or give it longer with --wait.");
  }
}
