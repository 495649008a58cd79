package io.ferry.cli;

import io.ferry.activities.sim.LedgerChange;
import io.ferry.roadmap.Roadmap;
import io.ferry.runbook.OperatorEntry;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepKind;
import io.ferry.runbook.StepState;
import io.ferry.runbook.StepStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What a rehearsal prints as it goes: each step's start and end, its changes to the simulated
 * fleet's ledger under it, undos in reverse, the operator log, and the summary at the end. Each
 * status is compared with what was already printed, so a line appears once however often the status
 * is polled.
 */
final class RehearsalLog {

  private final Roadmap roadmap;
  private final PrintWriter out;
  private final ConcurrentLinkedQueue<LedgerChange> changes = new ConcurrentLinkedQueue<>();
  private final List<LedgerChange> held = new ArrayList<>();
  private final Map<String, Integer> startsPrinted = new HashMap<>();
  private final Map<String, Integer> endsPrinted = new HashMap<>();
  private final Map<String, StepState> undoPrinted = new HashMap<>();
  private int logPrinted;
  private int ledgerChanges;
  private String lastPhase;

  RehearsalLog(Roadmap roadmap, PrintWriter out) {
    this.roadmap = roadmap;
    this.out = out;
  }

  /** A change to the ledger, from whichever thread made it; printed with the next status. */
  void changed(LedgerChange change) {
    changes.add(change);
  }

  /** Prints what changed since the last poll: steps started and ended, undos, operator log. */
  void report(RunbookStatus s) {
    List<LedgerChange> fresh = new ArrayList<>(held);
    held.clear();
    for (LedgerChange c; (c = changes.poll()) != null; ) {
      fresh.add(c);
    }
    List<OperatorEntry> log = s.operatorLog() == null ? List.of() : s.operatorLog();
    for (; logPrinted < log.size(); logPrinted++) {
      out.println("    ☞ operator: " + StatusView.operatorLine(log.get(logPrinted)));
    }
    List<StepStatus> steps = s.steps() == null ? List.of() : s.steps();
    for (StepStatus step : steps) {
      if (step.attempts() > startsPrinted.getOrDefault(step.id(), 0)) {
        startsPrinted.put(step.id(), step.attempts());
        if (!step.phase().equals(lastPhase)) {
          lastPhase = step.phase();
          out.printf("%nphase %s%n", step.phase());
        }
        out.printf(
            "  ▸ %-28s %s%s%n",
            step.id(), step.title(), step.attempts() > 1 ? " (run " + step.attempts() + ")" : "");
      }
      // the ledger can run ahead of the status: a change waits until its step's line is out
      if (startsPrinted.containsKey(step.id())) {
        printChanges(fresh, step.id(), false);
      }
      if (StatusView.ended(step.state())
          && endsPrinted.getOrDefault(step.id(), -1) < step.attempts()) {
        endsPrinted.put(step.id(), step.attempts());
        printEnd(step);
      }
    }
    for (int i = steps.size() - 1; i >= 0; i--) {
      StepStatus step = steps.get(i);
      StepState state = step.state();
      boolean undoState =
          state == StepState.COMPENSATING
              || state == StepState.COMPENSATED
              || state == StepState.COMPENSATION_FAILED
              || state == StepState.COMPENSATION_SKIPPED;
      if (undoState && !undoPrinted.containsKey(step.id())) {
        undoPrinted.put(step.id(), StepState.COMPENSATING);
        if (endsPrinted.getOrDefault(step.id(), -1) < step.attempts()) {
          // it ended and its undo began between two polls
          endsPrinted.put(step.id(), step.attempts());
          printStepEnd(step.error() != null ? StepState.FAILED : StepState.DONE, step);
        }
        StepDef def = roadmap.step(step.id());
        out.printf(
            "  ↶ undo %-23s %s%n", step.id(), def == null || def.undo() == null ? "" : def.undo());
      }
      if (undoPrinted.containsKey(step.id())) {
        printChanges(fresh, step.id(), true);
      }
      if (undoState && state != StepState.COMPENSATING && undoPrinted.get(step.id()) != state) {
        undoPrinted.put(step.id(), state);
        switch (state) {
          case COMPENSATED -> out.printf("    ✓ undone %s%n", step.id());
          case COMPENSATION_FAILED ->
              out.printf("    ✗ undo of %s failed: %s%n", step.id(), step.error());
          default -> out.printf("    ↷ undo of %s skipped%n", step.id());
        }
      }
    }
    for (LedgerChange c : fresh) {
      if (c.step() == null || roadmap.step(c.step().step()) == null) {
        printChange(c);
      } else {
        held.add(c); // its step's line comes with a later status
      }
    }
    out.flush();
  }

  private void printEnd(StepStatus step) {
    printStepEnd(step.state(), step);
  }

  private void printStepEnd(StepState state, StepStatus step) {
    switch (state) {
      case DONE ->
          out.printf(
              "    ✓ %s%s%n",
              step.result() == null || step.result().isBlank() ? "done" : step.result(),
              step.kind() == StepKind.GATE
                      || step.kind() == StepKind.MANUAL
                      || step.kind() == StepKind.SOAK
                  ? ""
                  : " (attempts " + step.attempts() + ")");
      case FAILED -> out.printf("    ✗ %s failed: %s%n", step.id(), step.error());
      case SKIPPED ->
          out.printf("    ↷ skipped%s%n", step.error() == null ? "" : ": " + step.error());
      default -> {
        // not needed: printed once below
      }
    }
  }

  private void printChanges(List<LedgerChange> fresh, String stepId, boolean compensation) {
    var it = fresh.iterator();
    while (it.hasNext()) {
      LedgerChange c = it.next();
      if (c.step() != null
          && c.step().step().equals(stepId)
          && c.step().compensation() == compensation) {
        printChange(c);
        it.remove();
      }
    }
  }

  private void printChange(LedgerChange c) {
    ledgerChanges++;
    out.println("      ~ " + c.describe());
  }

  void summarize(RunbookStatus s, Duration workflowTime, Duration wallTime) {
    List<StepStatus> steps = s.steps() == null ? List.of() : s.steps();
    List<String> notNeeded =
        steps.stream()
            .filter(st -> st.state() == StepState.NOT_NEEDED)
            .map(StepStatus::title)
            .toList();
    if (!notNeeded.isEmpty()) {
      out.printf("%nnot needed this time (%d):%n", notNeeded.size());
      notNeeded.forEach(t -> out.println("  – " + t));
    }
    Map<String, Long> counts = new TreeMap<>();
    for (StepStatus st : steps) {
      counts.merge(st.state().wireName(), 1L, Long::sum);
    }
    long compensated =
        steps.stream()
            .filter(
                st ->
                    st.state() == StepState.COMPENSATED || "compensated".equals(st.compensation()))
            .count();
    out.println();
    out.printf("outcome: %s — %s%n", s.state().wireName(), StatusView.orDash(s.outcome()));
    out.printf(
        "steps: %d done, %d skipped, %d not needed, %d compensated, %d failed (of %d)%n",
        counts.getOrDefault("done", 0L),
        counts.getOrDefault("skipped", 0L),
        counts.getOrDefault("not-needed", 0L),
        compensated,
        steps.stream().filter(st -> st.error() != null).count(),
        steps.size());
    out.printf(
        "time: %s of workflow time in %s of wall time; %d ledger changes%n",
        human(workflowTime), human(wallTime), ledgerChanges);
    out.flush();
  }

  /** A duration as people read it: 850ms, 4.2s, 7d 25m. */
  static String human(Duration d) {
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      return d.toMillis() + "ms";
    }
    if (d.compareTo(Duration.ofMinutes(1)) < 0) {
      return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
    long days = d.toDays();
    long hours = d.toHoursPart();
    long minutes = d.toMinutesPart();
    long seconds = d.toSecondsPart();
    StringBuilder b = new StringBuilder();
    if (days > 0) {
      b.append(days).append("d ");
    }
    if (hours > 0) {
      b.append(hours).append("h ");
    }
    if (minutes > 0) {
      b.append(minutes).append("m ");
    }
    if (seconds > 0 || b.length() == 0) {
      b.append(seconds).append("s");
    }
    return b.toString().trim();
  }
}
