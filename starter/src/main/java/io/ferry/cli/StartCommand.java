package io.ferry.cli;

import io.ferry.plan.Durations;
import io.ferry.runbook.FerrySearchAttributes;
import io.ferry.runbook.MigrationMemo;
import io.ferry.worker.ExitCodes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Validates a plan and starts its roadmap's workflow; one running migration per target. */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description =
        "Validates a plan and starts its migration on the Temporal server. The workflow id is"
            + " <roadmap>-<plan name>: one running migration per target.")
final class StartCommand implements Callable<Integer> {
  static final String TASK_QUEUE = "ferry";

  /** Memo key on a run started with {@code --again}: which completed run it repeats, and who. */
  static final String RERUN_MEMO = "ferryRerunOf";

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "PLAN",
      description = "The plan file (YAML).")
  Path file;

  @Mixin Output output;

  @Option(
      names = "--again",
      description =
          "Start a migration that already completed once more (on a real fleet this re-creates"
              + " and destroys infrastructure); the run records that it was a deliberate re-run.")
  boolean again;

  @Option(
      names = "--by",
      description =
          "Who starts the migration (default $USER@hostname), recorded for gates whose policy"
              + " keeps the starter from approving; a claim, like approve's --by.")
  String by;

  @Option(
      names = "--task-queue",
      paramLabel = "QUEUE",
      defaultValue = "${env:FERRY_TASK_QUEUE:-" + TASK_QUEUE + "}",
      description =
          "The task queue whose workers run this migration: one per environment when its hosts"
              + " are reachable only from there (env FERRY_TASK_QUEUE; default ${DEFAULT-VALUE}).")
  String taskQueue;

  @Mixin Connection connection;
  @Mixin Deadline deadline;
  @ParentCommand FerryCli ferry;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PlanFiles.Loaded loaded = PlanFiles.load(file);
    String workflowId = loaded.plan().workflowId();
    WorkflowClient client = connection.client(ferry);
    ServerFacts facts = new ServerFacts(ferry, client, deadline);
    facts.requireNamespace();
    String rerunOf = completedBefore(client, workflowId);
    OptionalInt pollers = facts.pollers(taskQueue);
    if (pollers.isPresent() && pollers.getAsInt() == 0) {
      throw facts.noWorker(workflowId + " not started", pollers, null);
    }
    WorkflowOptions.Builder options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(taskQueue)
            .setTypedSearchAttributes(
                SearchAttributes.newBuilder()
                    .set(FerrySearchAttributes.ROADMAP, loaded.roadmap().id())
                    .build())
            .setStaticSummary(
                (rerunOf == null ? "" : "re-run · ")
                    + loaded.roadmap().id()
                    + " · "
                    + loaded.plan().name()
                    + ": "
                    + loaded.roadmap().title())
            .setStaticDetails(staticDetails(loaded, workflowId));
    String starter = by == null || by.isBlank() ? OperatorCommands.defaultOperator() : by;
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put(MigrationMemo.STARTED_BY, starter);
    if (rerunOf != null) {
      memo.put(RERUN_MEMO, rerunOf + "; started again with --again by " + starter);
    }
    options.setMemo(memo);
    WorkflowStub stub =
        client.newUntypedWorkflowStub(loaded.roadmap().workflowType(), options.build());
    WorkflowExecution execution;
    try {
      execution = deadline.call(() -> stub.start(loaded.plan()));
    } catch (WorkflowExecutionAlreadyStarted e) {
      String runId = e.getExecution().getRunId();
      throw new CliFailure(
          ExitCodes.ALREADY_RUNNING,
          "a migration for this target is already running: workflow "
              + workflowId
              + (runId == null || runId.isEmpty() ? "" : " (run " + runId + ")")
              + ". Watch it with `ferry status "
              + workflowId
              + "`, or roll it back with `ferry rollback "
              + workflowId
              + "` before starting again.");
    } catch (RuntimeException e) {
      throw unregisteredSearchAttributes(e);
    }
    if (pollers.isEmpty()) {
      awaitPickup(client, facts, execution);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("workflowId", execution.getWorkflowId());
      json.put("runId", execution.getRunId());
      json.put("roadmap", loaded.roadmap().id());
      json.put("taskQueue", taskQueue);
      json.put("rerunOf", rerunOf);
      out.println(Json.write(json));
    } else {
      if (rerunOf != null) {
        out.printf("deliberate re-run (--again): %s%n", rerunOf);
      }
      out.printf(
          "started %s (run %s) on task queue %s%n",
          execution.getWorkflowId(), execution.getRunId(), taskQueue);
      out.printf("watch it:  ferry status %s --watch%n", execution.getWorkflowId());
    }
    return ExitCodes.OK;
  }

  /** A server without Ferry's search attributes refuses the start; say how to fix it. */
  private RuntimeException unregisteredSearchAttributes(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s
          && s.getStatus().getCode() == Status.Code.INVALID_ARGUMENT
          && String.valueOf(s.getStatus().getDescription()).contains("Ferry")) {
        return new CliFailure(
            ExitCodes.SERVER_NOT_SET_UP,
            "the server at "
                + ferry.address()
                + " does not know Ferry's search attributes ("
                + String.join(", ", FerrySearchAttributes.DEFINITIONS.keySet())
                + "); register them first, e.g. `temporal operator search-attribute create"
                + " --name FerryRoadmap --type Keyword` (and FerryState, FerryPhase): "
                + s.getStatus().getDescription(),
            e);
      }
    }
    return e;
  }

  /**
   * A migration that completed is not started again by accident: on a real fleet a second run
   * re-creates and destroys infrastructure. Returns what the re-run repeats, with {@code --again}.
   */
  private String completedBefore(WorkflowClient client, String workflowId) {
    String ended;
    try {
      ended =
          new Migrations(client, new ServerFacts(ferry, client, deadline), deadline)
              .ended(workflowId);
    } catch (WorkflowNotFoundException e) {
      return null;
    }
    if (ended == null || !ended.contains(" has ended: completed ")) {
      return null;
    }
    String what = ended.substring(0, ended.indexOf("; there is nothing left"));
    if (!again) {
      throw new CliFailure(
          ExitCodes.REFUSED,
          "not started: "
              + what
              + ". Starting it again runs every step once more (on a real fleet that re-creates"
              + " and destroys infrastructure); if that is what you mean: ferry start -f "
              + file
              + " --again");
    }
    return what;
  }

  /**
   * Where the server cannot say whether a worker polls, waits for one to pick up the first task; a
   * run nobody picks up is terminated before anything ran, rather than left "running" forever.
   */
  private void awaitPickup(WorkflowClient client, ServerFacts facts, WorkflowExecution execution) {
    WorkflowStub started =
        client.newUntypedWorkflowStub(
            execution.getWorkflowId(), Optional.of(execution.getRunId()), Optional.empty());
    long until = System.nanoTime() + deadline.duration().toNanos();
    while (System.nanoTime() < until) {
      if (deadline
              .call(started::describe)
              .getRawDescription()
              .getWorkflowExecutionInfo()
              .getHistoryLength()
          > 2) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    started.terminate(
        "ferry start: no worker picked it up within "
            + Durations.format(deadline.duration())
            + "; nothing ran");
    ServerFacts.Record record = facts.record(execution.getWorkflowId());
    throw facts.noWorker(
        "started " + execution.getWorkflowId() + " but terminated it before anything ran",
        OptionalInt.empty(),
        record);
  }

  /** What the Web UI shows under the workflow: where the plan came from and how to steer it. */
  private static String staticDetails(PlanFiles.Loaded loaded, String workflowId) {
    StringBuilder details = new StringBuilder();
    details
        .append("Plan `")
        .append(loaded.source())
        .append("`, seed `")
        .append(loaded.roadmap().seed())
        .append("`.\n\nPhases: ")
        .append(String.join(" → ", loaded.roadmap().phases()))
        .append(".\n\nSteer it with signals (`pause`, `resume`, `approve`, `reject`, `complete`,")
        .append(" `retry`, `skip`, `rollback`, `extend-soak`, `end-soak`) taking")
        .append(" `{\"target\": \"<gate or step>\", \"by\": \"<you>\", \"comment\": \"...\"}`,")
        .append(" or `ferry status ")
        .append(workflowId)
        .append("`. Cancel rolls back.");
    return details.toString();
  }
}
