package io.ferry.cli;

import io.ferry.runbook.OperatorAction;
import io.ferry.runbook.OperatorCommand;
import io.ferry.runbook.OperatorInput;
import io.ferry.runbook.OperatorReply;
import io.ferry.runbook.RunbookControls;
import io.ferry.runbook.RunbookState;
import io.ferry.worker.ExitCodes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The operator controls. Each sends the workflow's {@code operate} update, so the operator learns
 * at once whether it applied: a refused request prints the workflow's reason (exit code 4).
 */
final class OperatorCommands {
  private OperatorCommands() {}

  /** Sends one operator command where a worker is known to run (a rehearsal's own). */
  static OperatorReply operate(
      WorkflowClient client, String workflowId, OperatorAction action, OperatorInput input) {
    try {
      return client
          .newUntypedWorkflowStub(workflowId)
          .update(RunbookControls.OPERATE, OperatorReply.class, new OperatorCommand(action, input));
    } catch (WorkflowUpdateException e) {
      throw new CliFailure(
          ExitCodes.REFUSED, action.wireName() + " " + workflowId + " refused: " + reason(e), e);
    }
  }

  /**
   * Sends one operator command and returns the reply. An ended migration is refused saying how it
   * ended; with no worker to take the request, nothing is sent and the command says so at once.
   */
  static OperatorReply operate(
      WorkflowClient client,
      ServerFacts facts,
      Deadline deadline,
      String workflowId,
      OperatorAction action,
      OperatorInput input) {
    Migrations migrations = new Migrations(client, facts, deadline);
    String ended = migrations.ended(workflowId);
    if (ended != null) {
      throw new CliFailure(ExitCodes.REFUSED, action.wireName() + " refused: " + ended);
    }
    String what = action.wireName() + " " + workflowId;
    ServerFacts.Record record = facts.record(workflowId);
    OptionalInt pollers = facts.pollers(record.taskQueue());
    if (pollers.isPresent() && pollers.getAsInt() == 0) {
      throw facts.noWorker(what + " not sent", pollers, record);
    }
    try {
      return deadline.call(
          () ->
              client
                  .newUntypedWorkflowStub(workflowId)
                  .update(
                      RunbookControls.OPERATE,
                      OperatorReply.class,
                      new OperatorCommand(action, input)));
    } catch (Deadline.Passed e) {
      throw facts.noWorker(
          what
              + " not confirmed (the server holds the request and a worker that picks it up"
              + " within minutes applies it; `ferry status "
              + workflowId
              + "` shows whether it did)",
          pollers,
          facts.record(workflowId));
    } catch (WorkflowUpdateException e) {
      throw new CliFailure(ExitCodes.REFUSED, what + " refused: " + reason(e), e);
    }
  }

  /** The validator's message, without Temporal's wrapping. */
  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure a) {
        String message = a.getOriginalMessage();
        // the workflow's reason may itself start "rollback refused: ..."; say it once
        int refused = message.indexOf(" refused: ");
        return refused >= 0 && refused < 20 && message.substring(0, refused).matches("[a-z-]+")
            ? message.substring(refused + " refused: ".length())
            : message;
      }
    }
    return FerryCli.oneLine(e);
  }

  static String defaultOperator() {
    String user = System.getenv("USER");
    if (user == null || user.isBlank()) {
      user = System.getProperty("user.name", "unknown");
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = System.getenv().getOrDefault("HOSTNAME", "localhost");
    }
    return user + "@" + host;
  }

  /** What every operator command shares: the migration, who asks, why, and the output format. */
  abstract static class Base implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "The migration.")
    String workflowId;

    @Option(
        names = "--by",
        description = "Who is asking, for the operator log (default $USER@hostname).")
    String by;

    @Option(
        names = {"-m", "--comment"},
        description = "Why; recorded with the decision.")
    String comment;

    @Mixin Output output;

    @Mixin Connection connection;
    @Mixin Deadline deadline;
    @ParentCommand FerryCli ferry;
    @Spec CommandSpec spec;

    abstract OperatorAction action();

    String target() {
      return null;
    }

    String duration() {
      return null;
    }

    @Override
    public Integer call() {
      OperatorInput input =
          new OperatorInput(
              target(), by == null || by.isBlank() ? defaultOperator() : by, comment, duration());
      WorkflowClient client = connection.client(ferry);
      ServerFacts facts = new ServerFacts(ferry, client, deadline);
      facts.requireNamespace();
      OperatorReply reply = operate(client, facts, deadline, workflowId, action(), input);
      RunbookState now = stateAfter(client, facts, reply);
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("workflowId", workflowId);
        json.put("action", action().wireName());
        json.put("target", target());
        json.put("message", reply.message());
        json.put("state", now);
        out.println(Json.write(json));
      } else {
        out.printf(
            "%s; now %s; follow it: ferry status %s --watch%n",
            reply.message(), now == null ? "?" : now.wireName(), workflowId);
      }
      return ExitCodes.OK;
    }

    /**
     * The state once the action applied: the workflow task that ran the update has also run the
     * checklist on, so a status read now sees its effect. The reply's own state (taken when the
     * update arrived) stands in when the read fails.
     */
    private RunbookState stateAfter(WorkflowClient client, ServerFacts facts, OperatorReply reply) {
      try {
        return new Migrations(client, facts, deadline).status(workflowId).state();
      } catch (RuntimeException e) {
        return reply.state();
      }
    }
  }

  /** For commands about a gate or a step. */
  abstract static class Targeted extends Base {
    @Parameters(
        index = "1",
        paramLabel = "TARGET",
        description =
            "The gate (approve, reject) or step (complete, retry, skip) it is about, by its id"
                + " as `ferry status WORKFLOW_ID` shows it.")
    String target;

    @Override
    String target() {
      return target;
    }
  }

  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = "Approves a pending gate: TARGET is the gate's id, e.g. approve-dns-cutover.")
  static final class Approve extends Targeted {
    @Override
    OperatorAction action() {
      return OperatorAction.APPROVE;
    }
  }

  @Command(
      name = "reject",
      mixinStandardHelpOptions = true,
      description = "Rejects a pending gate (TARGET, its id); the migration rolls back.")
  static final class Reject extends Targeted {
    @Override
    OperatorAction action() {
      return OperatorAction.REJECT;
    }
  }

  @Command(
      name = "complete",
      mixinStandardHelpOptions = true,
      description = "Marks the manual step TARGET done (the checklist item was carried out).")
  static final class Complete extends Targeted {
    @Override
    OperatorAction action() {
      return OperatorAction.COMPLETE;
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description = "Runs the parked step TARGET (or its undo) again.")
  static final class Retry extends Targeted {
    @Override
    OperatorAction action() {
      return OperatorAction.RETRY;
    }
  }

  @Command(
      name = "skip",
      mixinStandardHelpOptions = true,
      description = "Skips the parked step TARGET (or its undo) and goes on.")
  static final class Skip extends Targeted {
    @Override
    OperatorAction action() {
      return OperatorAction.SKIP;
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Pauses the migration at the next step boundary.")
  static final class Pause extends Base {
    @Override
    OperatorAction action() {
      return OperatorAction.PAUSE;
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Resumes a paused migration.")
  static final class Resume extends Base {
    @Override
    OperatorAction action() {
      return OperatorAction.RESUME;
    }
  }

  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description = "Rolls the migration back: undoes every step that ran, newest first.")
  static final class Rollback extends Base {
    @Override
    OperatorAction action() {
      return OperatorAction.ROLLBACK;
    }
  }

  @Command(
      name = "extend-soak",
      mixinStandardHelpOptions = true,
      description = "Extends the running soak by DURATION (2d, 12h, ...).")
  static final class ExtendSoak extends Base {
    @Parameters(
        index = "1",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "How much longer: 2d, 12h, 30m or ISO-8601.")
    Duration extension;

    @Override
    OperatorAction action() {
      return OperatorAction.EXTEND_SOAK;
    }

    @Override
    String duration() {
      return extension.toString();
    }
  }

  @Command(
      name = "end-soak",
      mixinStandardHelpOptions = true,
      description = "Ends the running soak now.")
  static final class EndSoak extends Base {
    @Override
    OperatorAction action() {
      return OperatorAction.END_SOAK;
    }
  }
}
