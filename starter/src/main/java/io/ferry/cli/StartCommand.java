package io.ferry.cli;

import io.ferry.runbook.FerrySearchAttributes;
import io.ferry.worker.ExitCodes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "PLAN",
      description = "The plan file (YAML).")
  Path file;

  @Mixin Output output;

  @Mixin Connection connection;
  @ParentCommand FerryCli ferry;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PlanFiles.Loaded loaded = PlanFiles.load(file);
    String workflowId = loaded.plan().workflowId();
    WorkflowStub stub =
        connection
            .client(ferry)
            .newUntypedWorkflowStub(
                loaded.roadmap().workflowType(),
                WorkflowOptions.newBuilder()
                    .setWorkflowId(workflowId)
                    .setTaskQueue(TASK_QUEUE)
                    .setTypedSearchAttributes(
                        SearchAttributes.newBuilder()
                            .set(FerrySearchAttributes.ROADMAP, loaded.roadmap().id())
                            .build())
                    .setStaticSummary(
                        loaded.roadmap().id()
                            + " · "
                            + loaded.plan().name()
                            + ": "
                            + loaded.roadmap().title())
                    .setStaticDetails(staticDetails(loaded, workflowId))
                    .build());
    WorkflowExecution execution;
    try {
      execution = stub.start(loaded.plan());
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
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("workflowId", execution.getWorkflowId());
      json.put("runId", execution.getRunId());
      json.put("roadmap", loaded.roadmap().id());
      json.put("taskQueue", TASK_QUEUE);
      out.println(Json.write(json));
    } else {
      out.printf(
          "started %s (run %s) on task queue %s%n",
          execution.getWorkflowId(), execution.getRunId(), TASK_QUEUE);
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
            ExitCodes.SOFTWARE,
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
