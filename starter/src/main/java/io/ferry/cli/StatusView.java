package io.ferry.cli;

import io.ferry.runbook.GateStatus;
import io.ferry.runbook.OperatorEntry;
import io.ferry.runbook.Parked;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.SoakStatus;
import io.ferry.runbook.StepState;
import io.ferry.runbook.StepStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The status query as a table a person reads at a glance. */
final class StatusView {
  static final int OPERATOR_LOG_LINES = 8;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private StatusView() {}

  static void render(RunbookStatus s, PrintWriter out) {
    out.printf("%s  (roadmap %s, plan %s)%n", s.workflowId(), s.roadmap(), s.plan());
    out.printf(
        "state: %s   phase: %s   current step: %s%n",
        s.state() == null ? "?" : s.state().wireName(), orDash(s.phase()), orDash(s.currentStep()));
    out.printf("started %s, updated %s%n", time(s.startedAt()), time(s.updatedAt()));
    out.println(
        s.pointOfNoReturn() == null
            ? "point of no return: not passed (rollback undoes every step)"
            : "point of no return: "
                + s.pointOfNoReturn()
                + " has run; earlier steps can no longer be rolled back");
    if (s.outcome() != null) {
      out.println("outcome: " + s.outcome());
    }
    out.println();
    out.printf("  %-28s %-20s %3s  %-12s %s%n", "STEP", "STATE", "RUN", "UNDO", "RESULT / ERROR");
    for (StepStatus step : s.steps() == null ? List.<StepStatus>of() : s.steps()) {
      String detail = step.error() != null ? "error: " + step.error() : orEmpty(step.result());
      out.printf(
          "%s %-28s %-20s %3s  %-12s %s%n",
          step.id().equals(s.currentStep()) ? ">" : " ",
          step.id(),
          step.state() == null ? "?" : step.state().wireName(),
          step.attempts() == 0 ? "" : String.valueOf(step.attempts()),
          "not-applicable".equals(step.compensation()) ? "" : orEmpty(step.compensation()),
          clip(detail, 70));
    }
    List<GateStatus> gates = s.gates() == null ? List.of() : s.gates();
    if (!gates.isEmpty()) {
      out.println();
      out.println("gates:");
      for (GateStatus g : gates) {
        if ("pending".equals(g.decision())) {
          out.printf(
              "  %-26s pending since %s; %s%s%n",
              g.id(),
              time(g.openedAt()),
              g.timeoutAt() == null
                  ? "waits until decided"
                  : "times out " + time(g.timeoutAt()) + " (then " + g.onTimeout() + ")",
              g.reminders() > 0 ? "; reminded " + g.reminders() + "x" : "");
          out.printf(
              "  %-26s approve: ferry approve %s %s   reject: ferry reject %s %s%n",
              "", s.workflowId(), g.id(), s.workflowId(), g.id());
        } else {
          out.printf(
              "  %-26s %s%s at %s%s%n",
              g.id(),
              g.decision(),
              g.by() == null ? "" : " by " + g.by(),
              time(g.decidedAt()),
              g.comment() == null || g.comment().isBlank() ? "" : " — \"" + g.comment() + "\"");
        }
      }
    }
    List<StepStatus> manual = s.steps() == null ? List.of() : s.waitingManualSteps();
    if (!manual.isEmpty()) {
      out.println();
      for (StepStatus step : manual) {
        out.printf("manual step %s waits: %s%n", step.id(), step.title());
        out.printf("  when it is done: ferry complete %s %s%n", s.workflowId(), step.id());
      }
    }
    Parked parked = s.parked();
    if (parked != null) {
      out.println();
      out.printf(
          "parked on %s (%s failed): %s%n", parked.step(), parked.during(), orDash(parked.error()));
      out.printf("  choices: %s%n", String.join(", ", parked.choices()));
      for (String choice : parked.choices()) {
        out.printf(
            "    ferry %s %s%s%n",
            choice, s.workflowId(), "rollback".equals(choice) ? "" : " " + parked.step());
      }
    }
    SoakStatus soak = s.soak();
    if (soak != null) {
      out.println();
      out.printf(
          "soak %s: since %s, ends %s (ferry extend-soak %s 2d | ferry end-soak %s)%n",
          soak.id(), time(soak.startedAt()), time(soak.endsAt()), s.workflowId(), s.workflowId());
    }
    List<OperatorEntry> log = s.operatorLog() == null ? List.of() : s.operatorLog();
    if (!log.isEmpty()) {
      out.println();
      out.println(
          "operator log"
              + (log.size() > OPERATOR_LOG_LINES ? " (last " + OPERATOR_LOG_LINES + ")" : "")
              + ":");
      for (OperatorEntry e :
          log.subList(Math.max(0, log.size() - OPERATOR_LOG_LINES), log.size())) {
        out.println("  " + operatorLine(e));
      }
    }
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
    return at == null ? "-" : TIME.format(at);
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
