package io.ferry.cli;

import io.ferry.activities.sim.SimKnob;
import io.ferry.activities.sim.seeds.SimSeeds;
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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Lists each roadmap's phases and steps, read from the step tables without running anything. */
@Command(
    name = "roadmaps",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the roadmaps with their phases and steps, and what each step's undo does.",
      "With ROADMAP, that roadmap alone, with its gates and the knobs of its simulated world"
          + " (ferry rehearse ROADMAP --sim KNOB=VALUE)."
    })
final class RoadmapsCommand implements Callable<Integer> {

  private static final String MARKS =
      "Marks: [conditional] runs only when a decision calls for it; [point of no return] cannot be"
          + " undone and sits behind a gate.";

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "ROADMAP",
      description = "Show only this roadmap.")
  String roadmapId;

  @Mixin Output output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (roadmapId != null) {
      return one(out, require(spec, roadmapId));
    }
    if (output.json()) {
      out.println(Json.write(Roadmaps.all().stream().map(RoadmapsCommand::toJson).toList()));
      return ExitCodes.OK;
    }
    for (Roadmap roadmap : Roadmaps.all()) {
      printSteps(out, roadmap);
      out.println();
    }
    out.println(MARKS);
    return ExitCodes.OK;
  }

  /** The roadmap, or a usage error listing the known ones. */
  static Roadmap require(CommandSpec spec, String id) {
    return Roadmaps.byId(id)
        .orElseThrow(
            () ->
                new ParameterException(
                    spec.commandLine(),
                    "unknown roadmap '" + id + "'; known roadmaps: " + Roadmaps.ids()));
  }

  private int one(PrintWriter out, Roadmap roadmap) {
    List<SimKnob<?>> knobs = knobs(roadmap);
    if (output.json()) {
      Map<String, Object> json = toJson(roadmap);
      json.put("gates", gates(roadmap));
      json.put(
          "simKnobs",
          knobs.stream()
              .map(
                  k -> {
                    Map<String, Object> knob = new LinkedHashMap<>();
                    knob.put("name", k.name());
                    knob.put("value", k.valueForm());
                    knob.put("does", k.does());
                    return knob;
                  })
              .toList());
      out.println(Json.write(json));
      return ExitCodes.OK;
    }
    printSteps(out, roadmap);
    out.printf("%n  gates: %s%n", String.join(", ", gates(roadmap)));
    out.printf("%n  sim knobs (ferry rehearse %s --sim KNOB=VALUE):%n", roadmap.id());
    if (knobs.isEmpty()) {
      out.println("    none");
    }
    for (SimKnob<?> knob : knobs) {
      out.printf("    %-28s %s%n      %s%n", knob.name(), knob.valueForm(), knob.does());
    }
    out.println();
    out.println(MARKS);
    return ExitCodes.OK;
  }

  private static void printSteps(PrintWriter out, Roadmap roadmap) {
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
  }

  /** The gates' ids in the order the roadmap reaches them. */
  static List<String> gates(Roadmap roadmap) {
    return roadmap.steps().stream()
        .filter(s -> s.kind() == StepKind.GATE)
        .map(StepDef::id)
        .toList();
  }

  /** The knobs of the roadmap's simulated world; none when it has no seed. */
  static List<SimKnob<?>> knobs(Roadmap roadmap) {
    return SimSeeds.forRoadmap(roadmap.id())
        .<List<SimKnob<?>>>map(seed -> List.copyOf(seed.knobs()))
        .orElse(List.of());
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
