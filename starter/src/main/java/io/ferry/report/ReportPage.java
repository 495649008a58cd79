package io.ferry.report;

import io.ferry.runbook.GateStatus;
import io.ferry.runbook.OperatorEntry;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepState;
import io.ferry.runbook.StepStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The report as one HTML page: styles inline, charts as inline SVG, no script and nothing fetched,
 * so it can be mailed, attached to a ticket or archived as it is.
 */
public final class ReportPage {

  private ReportPage() {}

  public static String render(MigrationRecord record) {
    RunbookStatus s = record.status();
    StringBuilder page = new StringBuilder();
    page.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Ferry report: ")
        .append(Html.escape(record.workflowId()))
        .append("</title><style>")
        .append(STYLE)
        .append("</style></head><body>");
    header(page, record);
    page.append("<p class=\"note\">Times are UTC.</p>");
    timeline(page, s);
    gates(page, s);
    undos(page, record);
    figures(page, record);
    operatorLog(page, s);
    page.append("<footer>Written by ferry report from Temporal's history of run ")
        .append(Html.escape(record.runId()))
        .append(" at ")
        .append(Html.time(record.readAt()))
        .append(".</footer></body></html>\n");
    return page.toString();
  }

  private static void header(StringBuilder page, MigrationRecord record) {
    RunbookStatus s = record.status();
    page.append("<header><h1>")
        .append(Html.escape(record.workflowId()))
        .append("</h1><p class=\"state ")
        .append(Html.escape(s.state().wireName()))
        .append("\" id=\"state\">")
        .append(Html.escape(s.state().wireName()))
        .append("</p>");
    page.append("<dl>");
    item(page, "Roadmap", s.roadmap() + " (workflow " + record.workflowType() + ")");
    item(page, "Plan", s.plan());
    item(page, "Outcome", s.outcome() == null ? "still running" : s.outcome());
    item(page, "Temporal", record.executionStatus() + ", run " + record.runId());
    item(page, "Started", Html.time(s.startedAt()));
    item(page, "Last change", Html.time(s.updatedAt()));
    item(page, "Took", Html.duration(s.startedAt(), s.updatedAt()));
    if (s.pointOfNoReturn() != null) {
      item(page, "Point of no return passed", s.pointOfNoReturn());
    }
    page.append("</dl>");
    if (record.webUi() != null) {
      page.append("<p><a href=\"")
          .append(Html.escape(record.webUi()))
          .append("\">This run in Temporal's Web UI</a></p>");
    }
    page.append("</header>");
  }

  private static void item(StringBuilder page, String term, String value) {
    page.append("<dt>").append(Html.escape(term)).append("</dt><dd>");
    page.append(Html.escape(value)).append("</dd>");
  }

  private static void timeline(StringBuilder page, RunbookStatus s) {
    page.append("<section id=\"timeline\"><h2>Timeline</h2>");
    List<Charts.Bar> bars = new ArrayList<>();
    Instant from = s.startedAt();
    Instant to = s.updatedAt();
    for (StepStatus step : s.steps()) {
      if (step.startedAt() != null) {
        Instant end = step.endedAt() != null ? step.endedAt() : s.updatedAt();
        bars.add(new Charts.Bar(step.id(), step.state().wireName(), step.startedAt(), end));
        from = from == null || step.startedAt().isBefore(from) ? step.startedAt() : from;
        to = to == null || end.isAfter(to) ? end : to;
      }
    }
    if (!bars.isEmpty()) {
      page.append(Charts.timeline(bars, from, to));
    }
    page.append(
        "<table class=\"steps\"><thead><tr><th>Phase</th><th>Step</th><th>State</th>"
            + "<th>Started</th><th>Ended</th><th>Took</th><th>Runs</th><th>Result</th>"
            + "<th>Undo</th></tr></thead><tbody>");
    String phase = null;
    for (StepStatus step : s.steps()) {
      boolean newPhase = !Objects.equals(phase, step.phase());
      phase = step.phase();
      page.append("<tr class=\"")
          .append(Html.escape(step.state().wireName()))
          .append(newPhase ? " phase-start" : "")
          .append("\" data-step=\"")
          .append(Html.escape(step.id()))
          .append("\"><td>")
          .append(newPhase ? Html.escape(step.phase()) : "")
          .append("</td><td><b>")
          .append(Html.escape(step.title()))
          .append("</b><br><code>")
          .append(Html.escape(step.id()))
          .append("</code></td>");
      cell(page, step.state().wireName());
      timeCell(page, step.startedAt());
      timeCell(page, step.endedAt());
      durationCell(page, step.startedAt(), step.endedAt());
      cell(page, step.attempts() == 0 ? "" : Integer.toString(step.attempts()));
      cell(page, step.error() != null ? step.error() : step.result());
      cell(page, undoText(step.compensation()));
      page.append("</tr>");
    }
    page.append("</tbody></table></section>");
  }

  private static String undoText(String compensation) {
    return compensation == null || compensation.equals("not-applicable") ? "" : compensation;
  }

  private static void timeCell(StringBuilder page, Instant at) {
    page.append("<td class=\"time\">").append(Html.escape(Html.shortTime(at))).append("</td>");
  }

  private static void durationCell(StringBuilder page, Instant from, Instant to) {
    page.append("<td class=\"time\">").append(Html.escape(Html.duration(from, to))).append("</td>");
  }

  private static void cell(StringBuilder page, String text) {
    page.append("<td>").append(Html.escape(text)).append("</td>");
  }

  private static void gates(StringBuilder page, RunbookStatus s) {
    page.append("<section id=\"gates\"><h2>Gates</h2>");
    if (s.gates().isEmpty()) {
      page.append("<p>No gate was reached.</p></section>");
      return;
    }
    page.append(
        "<table><thead><tr><th>Gate</th><th>Decision</th><th>By</th><th>Why</th>"
            + "<th>Opened</th><th>Decided</th><th>Waited</th></tr></thead><tbody>");
    for (GateStatus gate : s.gates()) {
      page.append("<tr data-gate=\"").append(Html.escape(gate.id())).append("\"><td><b>");
      page.append(Html.escape(gate.title())).append("</b><br><code>");
      page.append(Html.escape(gate.id())).append("</code></td>");
      cell(
          page,
          gate.decision() + (gate.reminders() > 0 ? " (" + gate.reminders() + " reminders)" : ""));
      cell(page, gate.by());
      cell(page, gate.comment());
      timeCell(page, gate.openedAt());
      timeCell(page, gate.decidedAt());
      durationCell(page, gate.openedAt(), gate.decidedAt());
      page.append("</tr>");
    }
    page.append("</tbody></table></section>");
  }

  private static void undos(StringBuilder page, MigrationRecord record) {
    page.append("<section id=\"undos\"><h2>Undos</h2>");
    List<StepStatus> undone =
        record.status().steps().stream()
            .filter(
                st ->
                    st.state() == StepState.COMPENSATED
                        || st.state() == StepState.COMPENSATION_FAILED
                        || st.state() == StepState.COMPENSATING
                        || st.state() == StepState.COMPENSATION_SKIPPED)
            .toList();
    if (undone.isEmpty() && record.undos().isEmpty()) {
      page.append("<p>Nothing was undone.</p></section>");
      return;
    }
    page.append(
        "<table><thead><tr><th>Step</th><th>Undo</th><th>When</th><th>Error</th></tr></thead>"
            + "<tbody>");
    for (StepStatus step : undone) {
      Instant when =
          record.undos().stream()
              .filter(u -> u.step().equals(step.id()))
              .map(MigrationRecord.Undo::at)
              .reduce((a, b) -> b)
              .orElse(null);
      page.append("<tr data-undo=\"").append(Html.escape(step.id())).append("\">");
      cell(page, step.title() + " (" + step.id() + ")");
      cell(page, step.state().wireName());
      timeCell(page, when);
      cell(page, step.state() == StepState.COMPENSATION_FAILED ? step.error() : "");
      page.append("</tr>");
    }
    page.append("</tbody></table></section>");
  }

  private static void figures(StringBuilder page, MigrationRecord record) {
    page.append("<section id=\"figures\"><h2>Measured</h2>");
    if (record.figures().isEmpty()) {
      page.append("<p>No step reported a figure.</p></section>");
      return;
    }
    page.append("<div class=\"figures\">");
    for (MigrationRecord.Figure figure : record.figures()) {
      page.append("<figure data-figure=\"").append(Html.escape(figure.name())).append("\">");
      page.append(Charts.figure(figure));
      page.append("<figcaption><b>").append(Html.escape(figure.name())).append("</b> ");
      page.append(Html.escape(number(figure.last()) + " " + figure.unit()));
      if (figure.limit() != null) {
        page.append(" (limit ").append(Html.escape(number(figure.limit()))).append(")");
      }
      if (figure.points().size() > 1) {
        page.append(", ").append(figure.points().size()).append(" readings");
      }
      page.append("<br><code>").append(Html.escape(figure.step())).append("</code>");
      page.append("</figcaption></figure>");
    }
    page.append("</div></section>");
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.2f", value);
  }

  private static void operatorLog(StringBuilder page, RunbookStatus s) {
    page.append("<section id=\"operator-log\"><h2>Operator log</h2>");
    if (s.operatorLog().isEmpty()) {
      page.append("<p>No operator request.</p></section>");
      return;
    }
    page.append(
        "<table><thead><tr><th>When</th><th>Action</th><th>Target</th><th>By</th>"
            + "<th>Comment</th><th>Outcome</th></tr></thead><tbody>");
    for (OperatorEntry entry : s.operatorLog()) {
      page.append("<tr>");
      timeCell(page, entry.at());
      cell(page, entry.action());
      cell(page, entry.target());
      cell(page, entry.by());
      cell(page, entry.comment());
      cell(page, entry.outcome());
      page.append("</tr>");
    }
    page.append("</tbody></table></section>");
  }

  private static final String STYLE =
      """
      body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1b1f24;max-width:1200px}
      h1{margin:0 0 .2em}h2{margin-top:1.6em;border-bottom:1px solid #d0d7de}
      dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dt{font-weight:600}
      dd{margin:0}table{border-collapse:collapse;width:100%}
      th,td{border-bottom:1px solid #eaeef2;padding:.3em .5em;text-align:left;vertical-align:top}
      th{background:#f6f8fa}td.time{white-space:nowrap}tr.phase-start td{border-top:2px solid #8c959f}
      .state{display:inline-block;padding:.1em .6em;border-radius:1em;background:#ddf4ff}
      .state.completed{background:#dafbe1}.state.rolled-back,.state.failed{background:#ffebe9}
      svg text.label{font:11px system-ui,sans-serif;fill:#57606a}
      rect.step{fill:#0969da}rect.step.failed,rect.step.compensation-failed{fill:#cf222e}
      rect.step.compensated{fill:#bf8700}rect.step.skipped{fill:#8c959f}
      .axis{stroke:#8c959f}.line{fill:none;stroke:#0969da;stroke-width:1.5}.dot{fill:#0969da}
      .bar{fill:#0969da}.limit{stroke:#cf222e;stroke-dasharray:4 3}
      .figures{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0;padding:.5em;
      border:1px solid #d0d7de;border-radius:6px}code{font-size:12px;color:#57606a}
      footer{margin-top:2em;color:#57606a;font-size:12px}
      """;
}
