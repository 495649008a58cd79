package io.ferry.cli;

import io.ferry.activities.notify.NotifySettings;
import io.ferry.activities.sim.FaultPlan;
import io.ferry.activities.sim.SimKnob;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.roadmap.Roadmap;
import io.ferry.roadmap.Roadmaps;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepDef;
import io.ferry.worker.NotifyOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
          + " the rollback brought the ledger back to where it began (exit 0) or not (exit 9).",
      "With --sim KNOB=VALUE the simulated world differs from its default, such as a slow"
          + " endpoint; each roadmap's knobs are listed below and by ferry roadmaps ROADMAP.",
      "With --notify URL the rehearsal posts its notifications there (the plan's own endpoints"
          + " are named but not contacted; a plan without a notifications section gets one"
          + " for the rehearsal, with soak-ending notices 24h and 1h before), and the operator log"
          + " shows each as sent or given up."
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
      names = "--sim",
      paramLabel = "KNOB=VALUE",
      description = "Turn a knob of the simulated world after seeding it (repeatable; see below).")
  Map<String, String> sim = new LinkedHashMap<>();

  @Option(
      names = "--chat-latency",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "p95 of the simulated chat endpoint, e.g. 80ms (above the plan's"
              + " microCacheAbove the micro-cache steps run); short for --sim "
              + CHAT_LATENCY
              + "=DURATION.")
  Duration chatLatency;

  /** The knob {@code --chat-latency} turns. */
  static final String CHAT_LATENCY = "chat-latency";

  /** Where the help's knob descriptions start. */
  private static final int KNOB_COLUMN = 26;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description =
          "At the end, write the rehearsal's report (as ferry report does: one HTML page) to FILE.")
  Path report;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "3m",
      converter = DurationConverter.class,
      description = "Give up after this much wall-clock time (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Mixin NotifyOptions notify;

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
    NotifySettings notifySettings;
    try {
      // a rehearsal posts only to its own endpoints, never to the plan's
      notifySettings = notify.settings(false);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PlanFiles.Loaded loaded = file == null ? PlanFiles.example(roadmap) : PlanFiles.load(file);
    if (!notify.endpoints().isEmpty()) {
      loaded = RehearsalNotices.withNotifications(loaded, spec.commandLine().getErr());
    }
    if (!loaded.roadmap().id().equals(roadmap.id())) {
      throw new ParameterException(
          spec.commandLine(),
          loaded.source() + " is a plan for " + loaded.roadmap().id() + ", not " + roadmap.id());
    }
    SimulatedFleet fleet =
        new SimulatedFleet(failAt == null ? FaultPlan.none() : FaultPlan.failAt(failAt));
    fleet.seed(loaded.plan());
    for (Map.Entry<String, String> knob : knobs().entrySet()) {
      try {
        fleet.turn(loaded.plan(), knob.getKey(), knob.getValue());
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    Rehearsal rehearsal =
        new Rehearsal(
            roadmap,
            loaded,
            fleet,
            failAt,
            approve == Approve.prompt
                ? new Prompter(ferry.in(), spec.commandLine().getErr())
                : null,
            spec.commandLine().getOut(),
            timeout);
    rehearsal.notifying(notifySettings);
    if (report == null) {
      return rehearsal.run();
    }
    long wallStart = System.nanoTime();
    try (TestWorkflowEnvironment env = Rehearsal.environment(fleet)) {
      int verdict = rehearsal.run(env, wallStart);
      WorkflowClient client = env.getWorkflowClient();
      ReportCommand.write(
          client,
          loaded.plan().workflowId(),
          id -> client.newUntypedWorkflowStub(id).query("status", RunbookStatus.class),
          report);
      spec.commandLine().getOut().println("report: " + report.toAbsolutePath());
      return verdict;
    }
  }

  /** The knobs to turn, in order: --chat-latency first, then each --sim. */
  private Map<String, String> knobs() {
    Map<String, String> knobs = new LinkedHashMap<>();
    if (chatLatency != null) {
      knobs.put(CHAT_LATENCY, chatLatency.toString());
    }
    for (Map.Entry<String, String> knob : sim.entrySet()) {
      if (knobs.containsKey(knob.getKey())) {
        throw new ParameterException(
            spec.commandLine(),
            "--chat-latency and --sim " + CHAT_LATENCY + " set the same knob; give one of them");
      }
      knobs.put(knob.getKey(), knob.getValue());
    }
    return knobs;
  }

  /** The help's list of every roadmap's knobs, read from their simulated worlds. */
  static String[] knobsHelp() {
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("Knobs of the simulated world (--sim KNOB=VALUE):");
    for (Roadmap roadmap : Roadmaps.all()) {
      List<SimKnob<?>> knobs = RoadmapsCommand.knobs(roadmap);
      lines.add("  " + roadmap.id() + (knobs.isEmpty() ? ": none" : ":"));
      for (SimKnob<?> knob : knobs) {
        String name = String.format("    %-" + (KNOB_COLUMN - 4) + "s", knob.name());
        lines.add(name + knob.valueForm());
        wrapped(knob.does(), 78 - KNOB_COLUMN)
            .forEach(line -> lines.add(" ".repeat(KNOB_COLUMN) + line));
      }
    }
    // picocli formats footer lines: a literal percent sign must be doubled
    return lines.stream().map(line -> line.replace("%", "%%")).toArray(String[]::new);
  }

  /** Words into lines of at most {@code width} characters (a longer word gets its own line). */
  private static List<String> wrapped(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }
}
