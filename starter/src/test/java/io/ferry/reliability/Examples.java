package io.ferry.reliability;

import io.ferry.plan.Plan;
import io.ferry.roadmap.Roadmap;
import io.ferry.roadmap.Roadmaps;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepKind;
import io.ferry.testing.Harness;
import java.util.List;
import java.util.stream.IntStream;

/** What the checks derive from the registry alone: each roadmap's example plan and step table. */
final class Examples {

  private Examples() {}

  static List<Roadmap> roadmaps() {
    return Roadmaps.all();
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
