package io.ferry.cli;

import io.ferry.plan.PlanInvalidException;
import io.ferry.worker.ExitCodes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Checks a plan file without starting anything. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description =
        "Checks a plan file: prints 'plan OK: <workflow id>', or every problem as 'field: message'"
            + " (exit code 3).")
final class ValidateCommand implements Callable<Integer> {

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "PLAN",
      description = "The plan file (YAML).")
  Path file;

  @Mixin Output output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PlanFiles.Loaded loaded;
    try {
      loaded = PlanFiles.load(file);
    } catch (PlanInvalidException e) {
      if (output.json()) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("valid", false);
        result.put("problems", e.problems());
        spec.commandLine().getOut().println(Json.write(result));
        return ExitCodes.INVALID_PLAN;
      }
      throw e;
    }
    String workflowId = loaded.plan().workflowId();
    if (output.json()) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("valid", true);
      result.put("roadmap", loaded.roadmap().id());
      result.put("workflowId", workflowId);
      result.put("problems", List.of());
      spec.commandLine().getOut().println(Json.write(result));
    } else {
      spec.commandLine().getOut().println("plan OK: " + workflowId);
    }
    return ExitCodes.OK;
  }
}
