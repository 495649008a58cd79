package io.ferry.cli;

import com.google.protobuf.ByteString;
import io.ferry.roadmap.Roadmap;
import io.ferry.roadmap.Roadmaps;
import io.ferry.runbook.FerrySearchAttributes;
import io.ferry.worker.ExitCodes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.common.SearchAttributes;
import io.temporal.common.converter.DataConverter;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Lists Ferry's migrations on the server, newest first. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description =
        "Lists the migrations in the namespace, newest first: id, roadmap, state (where a running"
            + " one stands, or how an ended one ended), start time, and the phase or end time.")
final class ListCommand implements Callable<Integer> {
  static final int PAGE = 100;

  @Option(
      names = "--limit",
      defaultValue = "200",
      description = "Show at most this many (default ${DEFAULT-VALUE}).")
  int limit;

  @Mixin Output output;

  @Mixin Connection connection;
  @Mixin Deadline deadline;
  @ParentCommand FerryCli ferry;
  @Spec CommandSpec spec;

  /** One migration as listed. */
  record Row(
      String workflowId,
      String runId,
      String workflowType,
      String roadmap,
      String status,
      Instant startTime,
      Instant closeTime,
      String ferryState,
      String ferryPhase) {

    /**
     * One word for where it stands: Ferry's state while it runs and when it ended by itself
     * (completed, rolled-back, failed); the server's status when it was stopped from outside
     * (terminated, canceled, timed-out).
     */
    @com.fasterxml.jackson.annotation.JsonProperty("state")
    public String state() {
      boolean closedByItself = "completed".equals(status);
      if ("running".equals(status)) {
        return ferryState == null ? "running" : ferryState;
      }
      if (closedByItself && ferryState != null && RunbookStateNames.FINAL.contains(ferryState)) {
        return ferryState;
      }
      return status;
    }
  }

  /** Ferry's final states by their wire names. */
  private static final class RunbookStateNames {
    static final Set<String> FINAL =
        java.util.Arrays.stream(io.ferry.runbook.RunbookState.values())
            .filter(io.ferry.runbook.RunbookState::isFinal)
            .map(io.ferry.runbook.RunbookState::wireName)
            .collect(Collectors.toSet());
  }

  @Override
  public Integer call() {
    WorkflowClient client = connection.client(ferry);
    new ServerFacts(ferry, client, deadline).requireNamespace();
    List<Row> rows;
    try {
      rows = deadline.call(() -> byVisibilityQuery(client));
    } catch (RuntimeException e) {
      if (!unimplemented(e)) {
        throw e;
      }
      rows = deadline.call(() -> byOpenAndClosedLists(client));
    }
    rows =
        rows.stream()
            .sorted(Comparator.comparing(Row::startTime, Comparator.reverseOrder()))
            .limit(limit)
            .toList();
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      out.println(Json.write(rows));
      return ExitCodes.OK;
    }
    if (rows.isEmpty()) {
      out.println("no migrations in namespace " + ferry.namespace() + " on " + ferry.address());
      return ExitCodes.OK;
    }
    String format = "%-40s %-16s %-20s %-21s %s%n";
    out.printf(format, "WORKFLOW ID", "ROADMAP", "STATE", "STARTED", "PHASE / ENDED");
    for (Row r : rows) {
      out.printf(
          format,
          r.workflowId(),
          r.roadmap(),
          r.state(),
          StatusView.time(r.startTime()),
          r.closeTime() == null
              ? StatusView.orDash(r.ferryPhase())
              : "ended " + StatusView.time(r.closeTime()));
    }
    return ExitCodes.OK;
  }

  /** A server with advanced visibility answers a query on FerryRoadmap. */
  private List<Row> byVisibilityQuery(WorkflowClient client) {
    String query =
        FerrySearchAttributes.ROADMAP.getName()
            + " IN ("
            + Roadmaps.all().stream().map(r -> "'" + r.id() + "'").collect(Collectors.joining(", "))
            + ")";
    return client.listExecutions(query).limit(limit).map(ListCommand::row).toList();
  }

  /** The embedded test server implements only the older list calls; filter by workflow type. */
  private List<Row> byOpenAndClosedLists(WorkflowClient client) {
    Set<String> types =
        Roadmaps.all().stream().map(Roadmap::workflowType).collect(Collectors.toSet());
    WorkflowServiceBlockingStub stub = client.getWorkflowServiceStubs().blockingStub();
    DataConverter converter = client.getOptions().getDataConverter();
    List<WorkflowExecutionInfo> infos = new ArrayList<>();
    pages(
        infos,
        limit * 4,
        token -> {
          ListOpenWorkflowExecutionsResponse page =
              stub.listOpenWorkflowExecutions(
                  ListOpenWorkflowExecutionsRequest.newBuilder()
                      .setNamespace(ferry.namespace())
                      .setMaximumPageSize(PAGE)
                      .setNextPageToken(token)
                      .build());
          return new Page(page.getExecutionsList(), page.getNextPageToken());
        });
    pages(
        infos,
        limit * 8,
        token -> {
          ListClosedWorkflowExecutionsResponse page =
              stub.listClosedWorkflowExecutions(
                  ListClosedWorkflowExecutionsRequest.newBuilder()
                      .setNamespace(ferry.namespace())
                      .setMaximumPageSize(PAGE)
                      .setNextPageToken(token)
                      .build());
          return new Page(page.getExecutionsList(), page.getNextPageToken());
        });
    return infos.stream()
        .filter(i -> types.contains(i.getType().getName()))
        .map(i -> withSearchAttributes(client, row(new WorkflowExecutionMetadata(i, converter))))
        .filter(java.util.Objects::nonNull)
        .toList();
  }

  private record Page(List<WorkflowExecutionInfo> executions, ByteString next) {}

  /** Follows page tokens until the list ends or {@code atMost} executions are collected. */
  private static void pages(
      List<WorkflowExecutionInfo> into,
      int atMost,
      java.util.function.Function<ByteString, Page> fetch) {
    ByteString token = ByteString.EMPTY;
    do {
      Page page = fetch.apply(token);
      into.addAll(page.executions());
      token = page.next();
    } while (!token.isEmpty() && into.size() < atMost);
  }

  /**
   * The older list calls leave out search attributes; describing each execution has them. The
   * embedded server lists every namespace's executions: one this namespace does not know is
   * another's, and is left out (null).
   */
  private static Row withSearchAttributes(WorkflowClient client, Row row) {
    if (row.ferryState() != null) {
      return row;
    }
    try {
      io.temporal.client.WorkflowExecutionDescription description =
          client
              .newUntypedWorkflowStub(row.workflowId(), Optional.of(row.runId()), Optional.empty())
              .describe();
      SearchAttributes attributes = description.getTypedSearchAttributes();
      return new Row(
          row.workflowId(),
          row.runId(),
          row.workflowType(),
          row.roadmap(),
          row.status(),
          row.startTime(),
          row.closeTime() == null ? description.getCloseTime() : row.closeTime(),
          attributes.get(FerrySearchAttributes.STATE),
          attributes.get(FerrySearchAttributes.PHASE));
    } catch (io.temporal.client.WorkflowNotFoundException e) {
      return null;
    } catch (RuntimeException e) {
      return row; // listing still answers without them
    }
  }

  private static Row row(WorkflowExecutionMetadata m) {
    SearchAttributes attributes = m.getTypedSearchAttributes();
    String roadmap = attributes.get(FerrySearchAttributes.ROADMAP);
    if (roadmap == null) {
      roadmap =
          Roadmaps.all().stream()
              .filter(r -> r.workflowType().equals(m.getWorkflowType()))
              .map(Roadmap::id)
              .findFirst()
              .orElse(m.getWorkflowType());
    }
    return new Row(
        m.getExecution().getWorkflowId(),
        m.getExecution().getRunId(),
        m.getWorkflowType(),
        roadmap,
        statusName(m.getStatus()),
        m.getStartTime(),
        m.getCloseTime(),
        attributes.get(FerrySearchAttributes.STATE),
        attributes.get(FerrySearchAttributes.PHASE));
  }

  static String statusName(WorkflowExecutionStatus status) {
    return status
        .name()
        .replace("WORKFLOW_EXECUTION_STATUS_", "")
        .toLowerCase(Locale.ROOT)
        .replace('_', '-');
  }

  private static boolean unimplemented(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s
          && s.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return true;
      }
    }
    return false;
  }
}
