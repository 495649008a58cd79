package io.ferry.cli;

import io.ferry.roadmap.Roadmap;
import io.ferry.roadmap.Roadmaps;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepKind;
import io.ferry.worker.ExitCodes;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists each roadmap's phases and steps, read from the step tables without running anything. */
@Command(
    name = "roadmaps",
    mixinStandardHelpOptions = true,
    description = "Lists the roadmaps with their phases and steps, and what each step's undo does.")
final class RoadmapsCommand implements Callable<Integer> {

  @Mixin Output output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      out.println(Json.write(Roadmaps.all().stream().map(RoadmapsCommand::toJson).toList()));
      return ExitCodes.OK;
    }
    for (Roadmap roadmap : Roadmaps.all()) {
      out.printf(
          "%s — %s%n  workflow type %s, seed %s, example plan %s%n",
          roadmap.id(),
          roadmap.title(),
          roadmap.workflowType(),
          roadmap.seed(),
          roadmap.examplePlan().replaceFirst("^/", ""));
      for (String phase : roadmap.phases()) {
        out.printf("%n  %s%n", phase);
        for (StepDef step : roadmap.steps()) {
          if (!step.phase().equals(phase)) {
            continue;
          }
          out.printf(
              "    %-28s %-18s %s%s%n", step.id(), kind(step.kind()), step.title(), marks(step));
          if (step.undo() != null) {
            out.printf("    %-28s %-18s undo: %s%n", "", "", step.undo());
          }
        }
      }
      out.println();
    }
    out.println(
        "Marks: [conditional] runs only when a decision calls for it; [point of no return] cannot be"
            + " undone and sits behind a gate.");
    return ExitCodes.OK;
  }

  static String kind(StepKind kind) {
    return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String marks(StepDef step) {
    List<String> marks = new ArrayList<>();
    if (step.conditional()) {
      marks.add("[conditional]");
    }
    if (step.kind() == StepKind.POINT_OF_NO_RETURN) {
      marks.add("[point of no return]");
    }
    return marks.isEmpty() ? "" : "  " + String.join(" ", marks);
  }

  private static Map<String, Object> toJson(Roadmap roadmap) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", roadmap.id());
    json.put("title", roadmap.title());
    json.put("workflowType", roadmap.workflowType());
    json.put("seed", roadmap.seed());
    json.put("examplePlan", roadmap.examplePlan());
    List<Map<String, Object>> phases = new ArrayList<>();
    for (String phase : roadmap.phases()) {
      List<Map<String, Object>> steps = new ArrayList<>();
      for (StepDef step : roadmap.steps()) {
        if (step.phase().equals(phase)) {
          Map<String, Object> s = new LinkedHashMap<>();
          s.put("id", step.id());
          s.put("kind", kind(step.kind()));
          s.put("title", step.title());
          s.put("undo", step.undo());
          s.put("conditional", step.conditional());
          s.put("pointOfNoReturn", step.kind() == StepKind.POINT_OF_NO_RETURN);
          s.put("skippable", step.skippable());
          steps.add(s);
        }
      }
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", phase);
      p.put("steps", steps);
      phases.add(p);
    }
    json.put("phases", phases);
    return json;
  }
}
