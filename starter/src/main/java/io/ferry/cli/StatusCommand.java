package io.ferry.cli;

import io.ferry.roadmap.Roadmaps;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.worker.ExitCodes;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Shows a migration's status: steps, gates, parked step, soak, operator log. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Shows a migration: its state and phase; what needs a person (a pending gate, a manual"
          + " step, a parked step, a pause, a soak) with the command for it; the current phase's"
          + " steps with attempts, result, error and undo (--all: every step); the operator log.",
      "With --watch it refreshes until the migration ends (exit 0 when it completed, 7 when not)."
    })
final class StatusCommand implements Callable<Integer> {

  @Parameters(
      arity = "0..1",
      paramLabel = "WORKFLOW_ID",
      description = "The migration's workflow id (<roadmap>-<name>).")
  String workflowId;

  @Option(
      names = {"-r", "--roadmap"},
      description = "With --name: the roadmap, instead of WORKFLOW_ID.")
  String roadmap;

  @Option(
      names = {"-n", "--name"},
      description = "With --roadmap: the plan's name.")
  String name;

  @Option(
      names = {"-w", "--watch"},
      description = "Refresh until the migration ends.")
  boolean watch;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "How often --watch refreshes (default ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(
      names = "--all",
      description = "Every step of every phase (by default: the current phase's).")
  boolean all;

  @Option(
      names = "--lines",
      paramLabel = "N",
      description =
          "Fit the text in N lines: the header and what needs a person first, then as many steps"
              + " as fit (default: the terminal's height when there is one; 0: no limit).")
  Integer lines;

  @Mixin Output output;

  @Mixin Connection connection;
  @Mixin Deadline deadline;
  @ParentCommand FerryCli ferry;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    String id = workflowId(spec, workflowId, roadmap, name);
    if (lines == null && System.console() != null) {
      lines = Terminal.height();
    }
    PrintWriter out = spec.commandLine().getOut();
    WorkflowClient client = connection.client(ferry);
    ServerFacts facts = new ServerFacts(ferry, client, deadline);
    facts.requireNamespace();
    Migrations migrations = new Migrations(client, facts, deadline);
    RunbookStatus status = migrations.status(id);
    print(status, out);
    if (!watch) {
      return ExitCodes.OK;
    }
    String lastProblem = null;
    while (status.state() == null || !status.state().isFinal()) {
      Thread.sleep(interval.toMillis());
      RunbookStatus next;
      try {
        next = migrations.status(id);
      } catch (CliFailure f) {
        if (f.exitCode() != ExitCodes.NO_WORKER) {
          throw f;
        }
        // a worker restarting is no reason to stop watching; say it once, keep watching
        if (!f.getMessage().equals(lastProblem)) {
          spec.commandLine().getErr().println(f.getMessage() + "\n(still watching)");
          spec.commandLine().getErr().flush();
        }
        lastProblem = f.getMessage();
        continue;
      }
      lastProblem = null;
      if (!Objects.equals(next, status)) {
        out.println();
        print(next, out);
      }
      status = next;
    }
    return status.state() == RunbookState.COMPLETED
        ? ExitCodes.OK
        : ExitCodes.MIGRATION_NOT_COMPLETED;
  }

  private void print(RunbookStatus status, PrintWriter out) {
    if (output.json()) {
      out.println(Json.write(status));
    } else {
      if (watch && lines != null && lines > 0) {
        out.print("\033[H\033[2J"); // a fresh screen each refresh keeps the header in view
      }
      StatusView.render(status, out, new StatusView.Fit(lines == null ? 0 : lines, all));
    }
    out.flush();
  }

  /** WORKFLOW_ID, or the one made from --roadmap and --name. */
  static String workflowId(CommandSpec spec, String workflowId, String roadmap, String name) {
    if (workflowId != null && (roadmap != null || name != null)) {
      throw new ParameterException(
          spec.commandLine(), "give either WORKFLOW_ID or --roadmap with --name, not both");
    }
    if (workflowId != null) {
      return workflowId;
    }
    if (roadmap == null || name == null) {
      throw new ParameterException(
          spec.commandLine(), "name the migration: WORKFLOW_ID, or --roadmap ROADMAP --name NAME");
    }
    if (Roadmaps.byId(roadmap).isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "unknown roadmap '" + roadmap + "'; roadmaps: " + Roadmaps.ids());
    }
    return roadmap + "-" + name;
  }
}
