package io.ferry.cli;

import io.ferry.report.HistoryReader;
import io.ferry.report.MigrationRecord;
import io.ferry.report.ReportPage;
import io.ferry.worker.ExitCodes;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Writes a migration's report, one HTML page, from Temporal's history of it. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a migration's report: one self-contained HTML page (no script, nothing fetched)"
          + " with the timeline of phases and steps and their durations, every gate with who"
          + " decided, when and why, every undo, the figures the steps measured as small charts,"
          + " and the operator log.",
      "Built from the workflow's history, which Temporal keeps after the run has ended, and its"
          + " status query while it runs. With FERRY_WEB_UI set (the Web UI's address) the page"
          + " links to the run there."
    })
final class ReportCommand implements Callable<Integer> {

  /** The Web UI's address, for the link to the run; the worker reads the same variable. */
  static final String WEB_UI = "FERRY_WEB_UI";

  @Parameters(paramLabel = "WORKFLOW_ID", description = "The migration's workflow id.")
  String workflowId;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Where to write the page (default: WORKFLOW_ID-report.html here).")
  Path file;

  @Mixin Connection connection;
  @Mixin Deadline deadline;
  @ParentCommand FerryCli ferry;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    WorkflowClient client = connection.client(ferry);
    ServerFacts facts = new ServerFacts(ferry, client, deadline);
    facts.requireNamespace();
    Migrations migrations = new Migrations(client, facts, deadline);
    Path target = file != null ? file : Path.of(workflowId + "-report.html");
    MigrationRecord record = write(client, workflowId, migrations::status, target);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "wrote the report of %s (%s) to %s%n",
        workflowId, record.status().state().wireName(), target.toAbsolutePath());
    out.flush();
    return ExitCodes.OK;
  }

  /** Reads the run and writes its page to {@code target}; rehearsals call this too. */
  static MigrationRecord write(
      WorkflowClient client,
      String workflowId,
      Function<String, io.ferry.runbook.RunbookStatus> liveStatus,
      Path target) {
    MigrationRecord record =
        new HistoryReader(client, System.getenv(WEB_UI), Clock.systemUTC())
            .read(workflowId, liveStatus);
    try {
      Path parent = target.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(target, ReportPage.render(record), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliFailure(
          ExitCodes.USAGE, "cannot write the report to " + target + ": " + e.getMessage(), e);
    }
    return record;
  }
}
