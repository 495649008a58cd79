package io.ferry.reliability;

import io.ferry.activities.sim.SimSeed;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.plan.Plan;
import io.ferry.roadmap.Roadmap;
import io.ferry.roadmap.Roadmaps;
import io.ferry.roadmap.configflip.ConfigFlipRoadmap;
import io.ferry.roadmap.configflip.ConfigFlipSeed;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepKind;
import io.ferry.testing.Harness;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** What the checks derive from the registry alone: each roadmap's example plan and step table. */
final class Examples {

  private Examples() {}

  /**
   * Roadmaps declared only in tests, with their simulated worlds: held to the same bar as the
   * registered ones, they show that a new roadmap needs no change to the engine, the fleets or the
   * harness.
   */
  private static final List<Roadmap> DECLARED_IN_TESTS = List.of(ConfigFlipRoadmap.ROADMAP);

  private static final List<SimSeed<?>> SEEDS_DECLARED_IN_TESTS = List.of(new ConfigFlipSeed());

  /**
   * Every roadmap the checks hold to their bar: the registered ones and those declared in tests.
   */
  static List<Roadmap> roadmaps() {
    return Stream.concat(Roadmaps.all().stream(), DECLARED_IN_TESTS.stream()).toList();
  }

  /** Only the registered roadmaps: for checks through the CLI or a worker process. */
  static List<Roadmap> registered() {
    return Roadmaps.all();
  }

  static Class<?>[] workflowImplementations() {
    return roadmaps().stream().map(Roadmap::workflowImplementation).toArray(Class<?>[]::new);
  }

  /** Seeds the fleet with the world the plan expects, whichever list its roadmap's seed is in. */
  static void seed(SimulatedFleet fleet, Plan plan) {
    SEEDS_DECLARED_IN_TESTS.stream()
        .filter(s -> s.roadmap().equals(plan.roadmap()))
        .findFirst()
        .ifPresentOrElse(seed -> fleet.seed(plan, seed), () -> fleet.seed(plan));
  }

  static String planText(Roadmap roadmap) {
    return Harness.examplePlanText(roadmap);
  }

  static Plan plan(Roadmap roadmap) {
    return Harness.examplePlan(roadmap);
  }

  static Plan plan(Roadmap roadmap, String text) {
    return Harness.examplePlan(roadmap, ignored -> text);
  }

  /** Index of the roadmap's first point of no return, or the step count when it has none. */
  static int pointOfNoReturn(Roadmap roadmap) {
    List<StepDef> steps = roadmap.steps();
    return IntStream.range(0, steps.size())
        .filter(i -> steps.get(i).kind() == StepKind.POINT_OF_NO_RETURN)
        .findFirst()
        .orElse(steps.size());
  }

  static boolean beforePointOfNoReturn(Roadmap roadmap, String stepId) {
    StepDef step = roadmap.step(stepId);
    return roadmap.steps().indexOf(step) < pointOfNoReturn(roadmap);
  }
}
