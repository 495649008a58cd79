package io.ferry.cli;

import io.ferry.cli.Prompter.Decision;
import io.ferry.runbook.GateStatus;
import io.ferry.runbook.OperatorAction;
import io.ferry.runbook.OperatorInput;
import io.ferry.runbook.Parked;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.SoakStatus;
import io.ferry.runbook.StepStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * The rehearsal's operator: answers what waits for a person (gates with their quorum, manual steps,
 * parked failures, a pause) through the same operator commands a person sends, either by itself or
 * by asking the {@link Prompter}, and skips a soak to its end. Each waiting thing is answered once.
 */
final class RehearsalOperator {

  private final Prompter prompter;
  private final PrintWriter out;
  private final Set<String> decided = new HashSet<>();
  private final Set<String> handedOver = new HashSet<>();

  RehearsalOperator(Prompter prompter, PrintWriter out) {
    this.prompter = prompter;
    this.out = out;
  }

  /** What the roadmap wants the operator to read at a gate or manual step (its instructions). */
  private void briefing(StepStatus step) {
    if (step != null && step.result() != null) {
      step.result().lines().forEach(line -> out.printf("      | %s%n", line));
    }
  }

  /** Answers a gate, a manual step, a parked failure, a pause or a soak; true if it did. */
  boolean act(
      TestWorkflowEnvironment env, WorkflowClient client, String workflowId, RunbookStatus s)
      throws InterruptedException {
    switch (s.state()) {
      case AWAITING_APPROVAL -> {
        for (GateStatus gate : s.pendingGates()) {
          int given = gate.approvals().size();
          String gateKey = "gate:" + gate.id() + ":" + gate.openedAt();
          String key = gateKey + ":" + given;
          if (!decided.add(key)) {
            continue;
          }
          Decision d;
          if (given == 0 && !handedOver.contains(gateKey)) {
            out.printf(
                "    ? gate %s: %s%s%n",
                gate.id(),
                gate.title(),
                gate.policy() == null ? "" : " (needs " + gate.policy() + ")");
            briefing(s.step(gate.id()));
            out.flush();
            d =
                prompter == null
                    ? new Decision(
                        OperatorAction.APPROVE,
                        Rehearsal.REHEARSAL_OPERATOR,
                        "approved by the rehearsal")
                    : prompter.gate(gate);
          } else {
            // one person rehearses: colleagues complete the quorum, and the output says so
            d = RehearsalApprovers.next(gate);
            out.printf(
                "    ? gate %s: %s; %s approves as well (a real run needs another person)%n",
                gate.id(), gate.approvalCount(), d.by());
            out.flush();
          }
          String refused = operate(client, workflowId, d.action(), gate.id(), d);
          if (refused != null) {
            // ask again for a comment; otherwise (the starter may not approve) a colleague does
            decided.remove(key);
            if (prompter == null || !refused.contains("comment")) {
              handedOver.add(gateKey);
            }
          }
          return true;
        }
      }
      case AWAITING_MANUAL_STEP -> {
        for (StepStatus step : s.waitingManualSteps()) {
          if (!decided.add("manual:" + step.id() + ":" + step.attempts())) {
            continue;
          }
          out.printf("    ? manual step %s: %s%n", step.id(), step.title());
          briefing(step);
          out.flush();
          Decision d =
              prompter == null
                  ? new Decision(
                      OperatorAction.COMPLETE,
                      Rehearsal.REHEARSAL_OPERATOR,
                      "done in the rehearsal")
                  : prompter.manual(step);
          operate(
              client,
              workflowId,
              d.action(),
              d.action() == OperatorAction.ROLLBACK ? null : step.id(),
              d);
          return true;
        }
      }
      case AWAITING_DECISION -> {
        Parked parked = s.parked();
        if (parked != null
            && decided.add(
                "parked:" + parked.step() + ":" + parked.during() + ":" + s.updatedAt())) {
          out.printf(
              "    ? %s of %s failed: %s (choices: %s)%n",
              parked.during(), parked.step(), parked.error(), String.join(", ", parked.choices()));
          out.flush();
          Decision d =
              prompter == null
                  ? new Decision(
                      OperatorAction.ROLLBACK,
                      Rehearsal.REHEARSAL_OPERATOR,
                      "the rehearsal rolls back on failure")
                  : prompter.parked(parked);
          operate(
              client,
              workflowId,
              d.action(),
              d.action() == OperatorAction.ROLLBACK ? null : parked.step(),
              d);
          return true;
        }
      }
      case PAUSED -> {
        if (decided.add("paused:" + s.updatedAt())) {
          operate(
              client,
              workflowId,
              OperatorAction.RESUME,
              null,
              new Decision(
                  OperatorAction.RESUME, Rehearsal.REHEARSAL_OPERATOR, "the rehearsal resumes"));
          return true;
        }
      }
      case SOAKING -> {
        SoakStatus soak = s.soak();
        if (soak != null) {
          Duration remaining =
              Duration.between(Instant.ofEpochMilli(env.currentTimeMillis()), soak.endsAt());
          if (!remaining.isNegative() && !remaining.isZero()) {
            out.printf(
                "    … %s of soak: skipping to its end at %s (time skipping)%n",
                RehearsalLog.human(Duration.between(soak.startedAt(), soak.endsAt())),
                StatusView.time(soak.endsAt()));
            out.flush();
            env.sleep(remaining.plusMillis(1));
            return true;
          }
        }
      }
      default -> {
        // running or rolling back: nothing to answer
      }
    }
    return false;
  }

  /** Sends the decision; returns why it was refused, or null. */
  private String operate(
      WorkflowClient client, String workflowId, OperatorAction action, String target, Decision d) {
    try {
      OperatorCommands.operate(
          client, workflowId, action, new OperatorInput(target, d.by(), d.comment(), null));
      return null;
    } catch (CliFailure refused) {
      out.println("    ! " + refused.getMessage());
      return refused.getMessage();
    }
  }
}
