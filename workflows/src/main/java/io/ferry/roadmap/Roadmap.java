package io.ferry.roadmap;

import io.ferry.plan.Plan;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A kind of migration: its workflow type, its plan, and its step table in order. The step table is
 * what the workflow runs; tools derive what they need from it (the CLI's listing, fault matrices).
 *
 * @param workflowType the Temporal workflow type name
 * @param examplePlan classpath resource of the documented example plan
 */
public record Roadmap(
    String id,
    String title,
    String seed,
    String workflowType,
    Class<?> workflowImplementation,
    Class<? extends Plan> planType,
    List<StepDef> steps,
    String examplePlan) {

  public Roadmap {
    steps = List.copyOf(steps);
    List<String> problems = problemsIn(steps);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("roadmap " + id + ": " + String.join("; ", problems));
    }
  }

  public List<String> phases() {
    Set<String> phases = new LinkedHashSet<>();
    steps.forEach(s -> phases.add(s.phase()));
    return List.copyOf(phases);
  }

  public StepDef step(String stepId) {
    return steps.stream().filter(s -> s.id().equals(stepId)).findFirst().orElse(null);
  }

  /** Ids unique; every point of no return sits behind a gate; every effect says its undo. */
  public static List<String> problemsIn(List<StepDef> steps) {
    List<String> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    boolean gateSinceLastIrreversible = false;
    for (StepDef step : steps) {
      if (!seen.add(step.id())) {
        problems.add("step id " + step.id() + " appears twice");
      }
      if (step.kind() == StepKind.GATE) {
        gateSinceLastIrreversible = true;
      }
      if (step.kind() == StepKind.POINT_OF_NO_RETURN) {
        if (!gateSinceLastIrreversible) {
          problems.add("point of no return " + step.id() + " must sit behind a gate");
        }
        gateSinceLastIrreversible = false;
      }
    }
    return problems;
  }
}
