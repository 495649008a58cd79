package io.ferry.cli;

import io.ferry.runbook.GateStatus;
import io.ferry.runbook.OperatorAction;
import io.ferry.runbook.Parked;
import io.ferry.runbook.StepStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/** Asks on the terminal; the questions go to stderr so stdout stays the rehearsal's record. */
final class Prompter {

  /** An operator's answer. */
  record Decision(OperatorAction action, String by, String comment) {}

  private final BufferedReader in;
  private final PrintWriter err;
  private final String by = OperatorCommands.defaultOperator();

  Prompter(BufferedReader in, PrintWriter err) {
    this.in = in;
    this.err = err;
  }

  Decision gate(GateStatus gate) {
    boolean yes =
        yes(
            "approve gate "
                + gate.id()
                + " ("
                + gate.title()
                + ")? y = approve, n = reject (rolls back): ");
    return new Decision(yes ? OperatorAction.APPROVE : OperatorAction.REJECT, by, comment());
  }

  Decision manual(StepStatus step) {
    boolean yes =
        yes(
            "is manual step "
                + step.id()
                + " done ("
                + step.title()
                + ")? y = done, n = roll back: ");
    return new Decision(yes ? OperatorAction.COMPLETE : OperatorAction.ROLLBACK, by, comment());
  }

  Decision parked(Parked parked) {
    while (true) {
      String answer = ask(String.join("/", parked.choices()) + "? ");
      if (answer == null) {
        err.println();
        return new Decision(OperatorAction.ROLLBACK, by, "no answer (end of input)");
      }
      var action = OperatorAction.fromWireName(answer.trim().toLowerCase(Locale.ROOT));
      if (action.isPresent() && parked.choices().contains(action.get().wireName())) {
        return new Decision(action.get(), by, comment());
      }
      err.println("answer one of: " + String.join(", ", parked.choices()));
    }
  }

  private boolean yes(String question) {
    while (true) {
      String answer = ask(question);
      if (answer == null) {
        err.println("(end of input: no)");
        return false;
      }
      String a = answer.trim().toLowerCase(Locale.ROOT);
      if (a.equals("y") || a.equals("yes")) {
        return true;
      }
      if (a.equals("n") || a.equals("no")) {
        return false;
      }
      err.println("answer y or n");
    }
  }

  private String comment() {
    String comment = ask("comment (optional): ");
    return comment == null || comment.isBlank() ? null : comment.trim();
  }

  /** The answer, or null at the end of input. */
  private String ask(String question) {
    err.print(question);
    err.flush();
    try {
      return in.readLine();
    } catch (IOException e) {
      return null;
    }
  }
}
