package io.ferry.cli;

import io.ferry.runbook.Approval;
import io.ferry.runbook.GateStatus;
import io.ferry.runbook.OperatorEntry;
import io.ferry.runbook.Parked;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.SoakStatus;
import io.ferry.runbook.StepKind;
import io.ferry.runbook.StepState;
import io.ferry.runbook.StepStatus;
import io.ferry.runbook.Times;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The status query as a screen a person reads at a glance: the header, then what needs a person and
 * the command for it, then the current phase's steps, then the operator log; whatever does not fit
 * the terminal's height is left out with a line saying how to see it.
 */
final class StatusView {
  static final int OPERATOR_LOG_LINES = 8;

  /**
   * @param lines the terminal's height; 0 for no limit
   * @param all every step of every phase, not only the current phase's
   */
  record Fit(int lines, boolean all) {
    static final Fit EVERYTHING = new Fit(0, true);
  }

  private StatusView() {}

  static void render(RunbookStatus s, PrintWriter out) {
    render(s, out, Fit.EVERYTHING);
  }

  static void render(RunbookStatus s, PrintWriter out, Fit fit) {
    for (String line : lines(s, fit)) {
      out.println(line);
    }
  }

  static List<String> lines(RunbookStatus s, Fit fit) {
    List<String> head = new ArrayList<>();
    head.add(String.format("%s  (roadmap %s, plan %s)", s.workflowId(), s.roadmap(), s.plan()));
    head.add(
        String.format(
            "state: %s   phase: %s   current step: %s",
            s.state() == null ? "?" : s.state().wireName(),
            orDash(s.phase()),
            orDash(s.currentStep())));
    head.add(
        String.format(
            "started %s, updated %s; %s",
            time(s.startedAt()),
            time(s.updatedAt()),
            s.pointOfNoReturn() == null
                ? (s.state() != null && s.state().isFinal()
                    ? "no point of no return had run"
                    : "point of no return not passed (rollback undoes every step)")
                : "point of no return " + s.pointOfNoReturn() + " has run (no rollback)"));
    if (s.outcome() != null) {
      head.add("outcome: " + s.outcome());
    }
    head.add("");
    head.addAll(next(s));

    List<String> steps = steps(s, fit.all());
    List<String> log = operatorLog(s);
    if (fit.lines() <= 0) {
      List<String> all = new ArrayList<>(head);
      all.add("");
      all.addAll(steps);
      if (!log.isEmpty()) {
        all.add("");
        all.addAll(log);
      }
      return all;
    }
    // the header and the next move always; then as many steps as fit; the log if room is left
    List<String> fitted = new ArrayList<>(head);
    int room = fit.lines() - fitted.size() - 1;
    if (room >= 3) {
      fitted.add("");
      fitted.addAll(clipSteps(steps, room, s));
    }
    room = fit.lines() - fitted.size() - 1;
    if (!log.isEmpty() && room >= 2) {
      fitted.add("");
      fitted.add(log.get(0).replace(":", " (latest):"));
      fitted.addAll(log.subList(Math.max(1, log.size() - (room - 1)), log.size()));
    }
    return fitted.size() > fit.lines() ? fitted.subList(0, fit.lines()) : fitted;
  }

  /** What needs a person now and the command for it; for every state, the next command. */
  static List<String> next(RunbookStatus s) {
    String id = s.workflowId();
    List<String> lines = new ArrayList<>();
    List<GateStatus> pending =
        s.gates() == null
            ? List.of()
            : s.gates().stream().filter(g -> "pending".equals(g.decision())).toList();
    for (GateStatus g : pending) {
      lines.add(
          String.format(
              "needs you: gate %s, pending since %s (%s); %s",
              g.id(),
              time(g.openedAt()),
              ago(g.openedAt(), s.updatedAt()),
              g.timeoutAt() == null
                  ? "waits until decided"
                  : "times out " + time(g.timeoutAt()) + " (then " + g.onTimeout() + ")"));
      if (g.policy() != null) {
        lines.add("  " + g.approvalCount() + "; it needs " + g.policy());
        for (Approval a : g.approvals()) {
          lines.add(
              "  approved by "
                  + a.by()
                  + " at "
                  + time(a.at())
                  + (a.comment() == null || a.comment().isBlank() ? "" : ": " + a.comment()));
        }
      }
      boolean commentNeeded = g.policy() != null && g.policy().contains("a comment");
      lines.add(
          String.format(
              "  ferry approve %s %s%s   |   ferry reject %s %s",
              id, g.id(), commentNeeded ? " -m \"why\"" : "", id, g.id()));
    }
    for (StepStatus step : s.steps() == null ? List.<StepStatus>of() : s.waitingManualSteps()) {
      lines.add("needs you: manual step " + step.id() + ": " + step.title());
      lines.add("  when it is done: ferry complete " + id + " " + step.id());
    }
    Parked parked = s.parked();
    if (parked != null) {
      lines.add(
          String.format(
              "needs you: %s parked (%s failed): %s",
              parked.step(), parked.during(), clip(orDash(parked.error()), 80)));
      List<String> choices = new ArrayList<>();
      for (String choice : parked.choices()) {
        choices.add(
            "ferry " + choice + " " + id + ("rollback".equals(choice) ? "" : " " + parked.step()));
      }
      lines.add("  " + String.join("   |   ", choices));
    }
    if (s.state() == RunbookState.PAUSED) {
      lines.add("paused by an operator: ferry resume " + id + "   |   ferry rollback " + id);
    } else if (pauseRequested(s)) {
      lines.add(
          "pause requested: it pauses at the next step boundary (after what it waits for now);"
              + " ferry resume "
              + id
              + " withdraws it");
    }
    SoakStatus soak = s.soak();
    if (soak != null) {
      lines.add(
          String.format(
              "soaking (step %s) since %s until %s: %s of %s done, %s left",
              soak.id(),
              time(soak.startedAt()),
              time(soak.endsAt()),
              span(between(soak.startedAt(), s.updatedAt())),
              span(between(soak.startedAt(), soak.endsAt())),
              span(between(s.updatedAt(), soak.endsAt()))));
      lines.add("  ferry extend-soak " + id + " 2d   |   ferry end-soak " + id);
    }
    if (lines.isEmpty()) {
      lines.add(nothingNeeded(s));
    }
    return lines;
  }

  private static String nothingNeeded(RunbookStatus s) {
    String id = s.workflowId();
    if (s.state() == null) {
      return "next: ferry status " + id + " --watch";
    }
    return switch (s.state()) {
      case COMPLETED -> "completed; nothing left to do (ferry list shows the others)";
      case ROLLED_BACK -> "rolled back; fix the cause, then start it again: ferry start -f PLAN";
      case FAILED ->
          "failed and could not undo everything: read the steps below; the operator log and"
              + " the Web UI show what is left";
      case ROLLING_BACK -> "rolling back; nothing needs you: ferry status " + id + " --watch";
      default ->
          "nothing needs you now: ferry status "
              + id
              + " --watch   |   ferry pause "
              + id
              + "   |   ferry rollback "
              + id;
    };
  }

  /** The latest pause or resume in the log decides (a pause waits for the next boundary). */
  static boolean pauseRequested(RunbookStatus s) {
    List<OperatorEntry> log = s.operatorLog() == null ? List.of() : s.operatorLog();
    for (int i = log.size() - 1; i >= 0; i--) {
      OperatorEntry e = log.get(i);
      if (!"accepted".equals(e.outcome())) {
        continue;
      }
      if ("pause".equals(e.action())) {
        return true;
      }
      if ("resume".equals(e.action()) || "rollback".equals(e.action())) {
        return false;
      }
    }
    return false;
  }

  /** The table of steps: the current phase's, or every one with {@code all}. */
  static List<String> steps(RunbookStatus s, boolean all) {
    List<StepStatus> steps = s.steps() == null ? List.of() : s.steps();
    List<StepStatus> shown =
        all || s.phase() == null
            ? steps
            : steps.stream().filter(step -> s.phase().equals(step.phase())).toList();
    if (shown.isEmpty()) {
      shown = steps;
    }
    List<String> lines = new ArrayList<>();
    lines.add(
        shown.size() == steps.size()
            ? String.format("steps (%d):", steps.size())
            : String.format(
                "steps of phase %s (%d of %d; every step: ferry status %s --all):",
                s.phase(), shown.size(), steps.size(), s.workflowId()));
    lines.add(
        String.format("  %-28s %-20s %3s  %-12s %s", "STEP", "STATE", "RUN", "UNDO", "RESULT"));
    for (StepStatus step : shown) {
      String detail = step.error() != null ? "error: " + step.error() : orEmpty(step.result());
      lines.add(
          String.format(
              "%s %-28s %-20s %3s  %-12s %s",
              step.id().equals(s.currentStep()) ? ">" : " ",
              step.id(),
              step.state() == null ? "?" : step.state().wireName(),
              step.attempts() == 0 ? "" : String.valueOf(step.attempts()),
              undo(step),
              clip(detail, 70)));
    }
    return lines;
  }

  /** The undo's state; a step that has not run yet but will register an undo says so. */
  private static String undo(StepStatus step) {
    String c = step.compensation();
    if ("not-applicable".equals(c)) {
      return step.kind() == StepKind.POINT_OF_NO_RETURN ? "never" : "";
    }
    if ("none".equals(c) && step.kind() == StepKind.EFFECT && step.state() == StepState.PENDING) {
      return "when it runs";
    }
    return orEmpty(c);
  }

  /** As many table lines as fit around the current step, saying how many are left out. */
  private static List<String> clipSteps(List<String> table, int room, RunbookStatus s) {
    if (table.size() <= room) {
      return table;
    }
    int rows = room - 3; // title, column header, the "more" line
    List<String> body = table.subList(2, table.size());
    int current = 0;
    for (int i = 0; i < body.size(); i++) {
      if (body.get(i).startsWith(">")) {
        current = i;
      }
    }
    int from = Math.max(0, Math.min(current - rows / 2, body.size() - rows));
    List<String> clipped = new ArrayList<>(table.subList(0, 2));
    clipped.addAll(body.subList(from, from + Math.max(0, rows)));
    clipped.add(
        String.format(
            "  … %d more steps (a taller terminal, or ferry status %s --all)",
            body.size() - Math.max(0, rows), s.workflowId()));
    return clipped;
  }

  private static List<String> operatorLog(RunbookStatus s) {
    List<OperatorEntry> log = s.operatorLog() == null ? List.of() : s.operatorLog();
    if (log.isEmpty()) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    lines.add(
        "operator log"
            + (log.size() > OPERATOR_LOG_LINES ? " (last " + OPERATOR_LOG_LINES + ")" : "")
            + ":");
    for (OperatorEntry e : log.subList(Math.max(0, log.size() - OPERATOR_LOG_LINES), log.size())) {
      lines.add("  " + operatorLine(e));
    }
    return lines;
  }

  static String operatorLine(OperatorEntry e) {
    return time(e.at())
        + " "
        + e.action()
        + (e.target() == null || e.target().isBlank() ? "" : " " + e.target())
        + " by "
        + orDash(e.by())
        + (e.comment() == null || e.comment().isBlank() ? "" : " \"" + e.comment() + "\"")
        + ": "
        + orDash(e.outcome());
  }

  static boolean ended(StepState state) {
    return state == StepState.DONE
        || state == StepState.FAILED
        || state == StepState.SKIPPED
        || state == StepState.NOT_NEEDED;
  }

  static String time(Instant at) {
    return Times.format(at);
  }

  private static Duration between(Instant from, Instant to) {
    if (from == null || to == null || to.isBefore(from)) {
      return Duration.ZERO;
    }
    return Duration.ofSeconds(Duration.between(from, to).toSeconds());
  }

  private static String ago(Instant from, Instant now) {
    return "for " + span(between(from, now));
  }

  /** A length of time in its two largest units: 3d 4h, 4h 5m, 5m 7s, 7s. */
  static String span(Duration d) {
    long seconds = d.toSeconds();
    long[] sizes = {86_400, 3_600, 60, 1};
    String[] units = {"d", "h", "m", "s"};
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < sizes.length && parts.size() < 2; i++) {
      long n = seconds / sizes[i];
      seconds -= n * sizes[i];
      if (n > 0) {
        parts.add(n + units[i]);
      } else if (!parts.isEmpty()) {
        break;
      }
    }
    return parts.isEmpty() ? "0s" : String.join(" ", parts);
  }

  static String orDash(String s) {
    return s == null || s.isBlank() ? "-" : s;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  static String clip(String s, int max) {
    String one = s.replace('\n', ' ');
    return one.length() <= max ? one : one.substring(0, max - 1) + "…";
  }
}
