package io.ferry.report;

import io.ferry.runbook.RunbookStatus;
import java.time.Instant;
import java.util.List;

/**
 * What the report shows about one run, gathered from Temporal.
 *
 * @param executionStatus Temporal's view: running, completed, failed, terminated, ...
 * @param status the final status (the workflow's result) or, while it runs, its status query
 * @param webUi a link to the run in Temporal's Web UI, or null when its address is not known
 */
public record MigrationRecord(
    String workflowId,
    String runId,
    String workflowType,
    String executionStatus,
    Instant readAt,
    RunbookStatus status,
    List<Figure> figures,
    List<Undo> undos,
    String webUi) {

  /** One figure a step measured, over every time the step (or a monitor round) reported it. */
  public record Figure(String step, String name, String unit, Double limit, List<Point> points) {

    public double last() {
      return points.get(points.size() - 1).value();
    }
  }

  /** One measured value and when the activity that measured it completed. */
  public record Point(Instant at, double value) {}

  /**
   * One compensation Temporal ran.
   *
   * @param outcome "undone" or "failed: why"
   */
  public record Undo(String step, Instant at, String outcome) {}
}
