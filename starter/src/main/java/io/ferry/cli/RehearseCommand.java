package io.ferry.cli;

import io.ferry.activities.sim.FaultPlan;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.roadmap.Roadmap;
import io.ferry.roadmap.Roadmaps;
import io.ferry.roadmap.weaviatefirst.WeaviateFirstPlan;
import io.ferry.runbook.StepDef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Runs a roadmap's real workflow on an embedded, time-skipping server against the simulated fleet.
 */
@Command(
    name = "rehearse",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the roadmap's real workflow on an in-process Temporal server (time skipping: a 7-day"
          + " soak passes at once) against a simulated fleet. Shows each step, its effect on the"
          + " simulated ledger, each gate and who approved it, and each undo.",
      "With --fail-at STEP the step fails after its effect; the rehearsal ends by showing whether"
          + " the rollback brought the ledger back to where it began (exit 0) or not (exit 9)."
    })
final class RehearseCommand implements Callable<Integer> {

  /** Who decides at gates, manual steps and failures. */
  enum Approve {
    auto,
    prompt
  }

  @Parameters(index = "0", paramLabel = "ROADMAP", description = "The roadmap (ferry roadmaps).")
  String roadmapId;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "PLAN",
      description = "The plan (default: the roadmap's example plan).")
  Path file;

  @Option(
      names = "--fail-at",
      paramLabel = "STEP",
      description = "Inject a permanent fault after this step's effect, to rehearse the rollback.")
  String failAt;

  @Option(
      names = "--approve",
      paramLabel = "auto|prompt",
      defaultValue = "auto",
      description =
          "auto: approve gates, complete manual steps and roll back on failure;"
              + " prompt: ask on the terminal (default ${DEFAULT-VALUE}).")
  Approve approve;

  @Option(
      names = "--chat-latency",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "p95 of the simulated chat endpoint, e.g. 80ms (above the plan's"
              + " microCacheAbove the micro-cache steps run).")
  Duration chatLatency;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "3m",
      converter = DurationConverter.class,
      description = "Give up after this much wall-clock time (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @ParentCommand FerryCli ferry;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    Roadmap roadmap =
        Roadmaps.byId(roadmapId)
            .orElseThrow(
                () ->
                    new ParameterException(
                        spec.commandLine(),
                        "unknown roadmap '" + roadmapId + "'; known roadmaps: " + Roadmaps.ids()));
    if (failAt != null) {
      StepDef step = roadmap.step(failAt);
      if (step == null || !step.runsActivity()) {
        throw new ParameterException(
            spec.commandLine(),
            (step == null
                    ? "unknown step '" + failAt + "'"
                    : "'"
                        + failAt
                        + "' is a "
                        + RoadmapsCommand.kind(step.kind())
                        + " step, which runs no activity to fail")
                + "; the steps of "
                + roadmap.id()
                + " that can fail are: "
                + roadmap.steps().stream()
                    .filter(StepDef::runsActivity)
                    .map(StepDef::id)
                    .collect(Collectors.joining(", ")));
      }
    }
    PlanFiles.Loaded loaded = file == null ? PlanFiles.example(roadmap) : PlanFiles.load(file);
    if (!loaded.roadmap().id().equals(roadmap.id())) {
      throw new ParameterException(
          spec.commandLine(),
          loaded.source() + " is a plan for " + loaded.roadmap().id() + ", not " + roadmap.id());
    }
    SimulatedFleet fleet =
        new SimulatedFleet(failAt == null ? FaultPlan.none() : FaultPlan.failAt(failAt));
    fleet.seed(loaded.plan());
    if (chatLatency != null) {
      if (!(loaded.plan() instanceof WeaviateFirstPlan plan) || plan.probes() == null) {
        throw new ParameterException(
            spec.commandLine(),
            "--chat-latency applies to plans with probes.chatUrl (weaviate-first)");
      }
      fleet.setLatency(plan.probes().chatUrl(), chatLatency);
    }
    Rehearsal rehearsal =
        new Rehearsal(
            roadmap,
            loaded,
            fleet,
            failAt,
            approve == Approve.prompt
                ? new Rehearsal.Prompter(ferry.in(), spec.commandLine().getErr())
                : null,
            spec.commandLine().getOut(),
            timeout);
    return rehearsal.run();
  }
}
