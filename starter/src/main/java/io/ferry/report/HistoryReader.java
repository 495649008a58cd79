package io.ferry.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepCall;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.GlobalDataConverter;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads one run from Temporal for the report: the history (which Temporal keeps for completed runs
 * too) for what each activity returned and every undo, and the status, from the workflow's result
 * once it has ended, else from its status query.
 */
public final class HistoryReader {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final WorkflowClient client;
  private final String webUi;
  private final Clock clock;

  /**
   * @param webUi the Web UI's base address (FERRY_WEB_UI), or null
   */
  public HistoryReader(WorkflowClient client, String webUi, Clock clock) {
    this.client = client;
    this.webUi = webUi == null || webUi.isBlank() ? null : webUi.replaceAll("/+$", "");
    this.clock = clock;
  }

  /**
   * The report of a run that has ended (its result) or, through {@code liveStatus}, of one open.
   */
  public MigrationRecord read(String workflowId, Function<String, RunbookStatus> liveStatus) {
    WorkflowExecutionHistory history = client.fetchHistory(workflowId);
    List<HistoryEvent> events = history.getEvents();
    HistoryEvent first = events.get(0);
    // the history's own execution carries a placeholder run id; the start event has the real one
    String runId = first.getWorkflowExecutionStartedEventAttributes().getOriginalExecutionRunId();
    String type = first.getWorkflowExecutionStartedEventAttributes().getWorkflowType().getName();
    Map<Long, ActivityTaskScheduledEventAttributes> scheduled = new HashMap<>();
    Map<String, MigrationRecord.Figure> figures = new LinkedHashMap<>();
    List<MigrationRecord.Undo> undos = new ArrayList<>();
    RunbookStatus finalStatus = null;
    String executionStatus = "running";
    for (HistoryEvent event : events) {
      Instant at =
          Instant.ofEpochSecond(event.getEventTime().getSeconds(), event.getEventTime().getNanos());
      EventType kind = event.getEventType();
      if (kind == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        scheduled.put(event.getEventId(), event.getActivityTaskScheduledEventAttributes());
      } else if (kind == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        var done = event.getActivityTaskCompletedEventAttributes();
        StepCall call = call(scheduled.get(done.getScheduledEventId()));
        if (call == null) {
          continue;
        }
        if (call.compensation()) {
          undos.add(new MigrationRecord.Undo(call.step(), at, "undone"));
        } else if (done.hasResult()) {
          collect(call.step(), at, done.getResult(), figures);
        }
      } else if (kind == EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED) {
        var failed = event.getActivityTaskFailedEventAttributes();
        StepCall call = call(scheduled.get(failed.getScheduledEventId()));
        if (call != null && call.compensation()) {
          undos.add(
              new MigrationRecord.Undo(
                  call.step(), at, "failed: " + failed.getFailure().getMessage()));
        }
      } else if (kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED) {
        executionStatus = "completed";
        var completed = event.getWorkflowExecutionCompletedEventAttributes();
        if (completed.hasResult()) {
          RunbookResult result =
              GlobalDataConverter.get()
                  .fromPayloads(
                      0,
                      Optional.of(completed.getResult()),
                      RunbookResult.class,
                      RunbookResult.class);
          finalStatus = result == null ? null : result.status();
        }
      } else if (kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED) {
        executionStatus = "failed";
      } else if (kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED) {
        executionStatus = "terminated";
      } else if (kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED) {
        executionStatus = "canceled";
      } else if (kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT) {
        executionStatus = "timed out";
      } else if (kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW) {
        executionStatus = "continued as new";
      }
    }
    RunbookStatus status = finalStatus != null ? finalStatus : liveStatus.apply(workflowId);
    return new MigrationRecord(
        workflowId,
        runId,
        type,
        executionStatus,
        clock.instant(),
        status,
        List.copyOf(figures.values()),
        undos,
        webUi == null ? null : link(workflowId, runId));
  }

  private String link(String workflowId, String runId) {
    return webUi
        + "/namespaces/"
        + encode(client.getOptions().getNamespace())
        + "/workflows/"
        + encode(workflowId)
        + "/"
        + encode(runId)
        + "/history";
  }

  private static String encode(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static StepCall call(ActivityTaskScheduledEventAttributes scheduled) {
    return scheduled == null ? null : StepCall.parse(scheduled.getActivityId());
  }

  /**
   * The numbers in one activity result: a measurement ({@code name}, {@code value}, {@code unit},
   * {@code limit}) as itself, and any other numeric field (counts, lag, TPS) under its name.
   */
  static void collect(
      String step, Instant at, Payloads payloads, Map<String, MigrationRecord.Figure> into) {
    for (Payload payload : payloads.getPayloadsList()) {
      JsonNode node;
      try {
        node = JSON.readTree(payload.getData().toByteArray());
      } catch (IOException notJson) {
        continue;
      }
      if (node == null || !node.isObject()) {
        continue;
      }
      if (node.path("value").isNumber() && node.path("name").isTextual()) {
        Double limit = node.path("limit").isNumber() ? node.get("limit").asDouble() : null;
        add(
            into,
            step,
            node.get("name").asText(),
            node.path("unit").asText(""),
            limit,
            at,
            node.get("value").asDouble());
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getValue().isNumber() && !identifier(field.getKey())) {
          add(into, step, field.getKey(), "", null, at, field.getValue().asDouble());
        }
      }
    }
  }

  /** Numbers that name something rather than measure it. */
  private static boolean identifier(String field) {
    String name = field.toLowerCase(java.util.Locale.ROOT);
    return name.equals("id")
        || name.endsWith("id")
        || name.endsWith("port")
        || name.equals("ttl")
        || name.endsWith("version");
  }

  private static void add(
      Map<String, MigrationRecord.Figure> into,
      String step,
      String name,
      String unit,
      Double limit,
      Instant at,
      double value) {
    MigrationRecord.Figure figure =
        into.computeIfAbsent(
            step + "\u0000" + name,
            key -> new MigrationRecord.Figure(step, name, unit, limit, new ArrayList<>()));
    figure.points().add(new MigrationRecord.Point(at, value));
  }
}
