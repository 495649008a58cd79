package io.ferry.roadmap;

import io.ferry.plan.Plan;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepKind;
import io.temporal.common.metadata.POJOWorkflowInterfaceMetadata;
import io.temporal.common.metadata.POJOWorkflowMethodMetadata;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A kind of migration, declared once in its own package: its workflow, its plan, and its step table
 * in order. The workflow type comes from the interface's {@code @WorkflowMethod} and the gate ids
 * from the step table, so neither is copied by hand; tools derive the rest (the CLI's listing, plan
 * validation of {@code gates:}, fault matrices).
 *
 * @param seed the roadmap's source document, by file name
 * @param workflowType the Temporal workflow type, derived from the interface once
 * @param examplePlan classpath resource of the documented example plan
 */
public record Roadmap(
    String id,
    String title,
    String seed,
    String workflowType,
    Class<?> workflowInterface,
    Class<?> workflowImplementation,
    Class<? extends Plan> planType,
    List<StepDef> steps,
    String examplePlan) {

  /** A roadmap whose workflow type is the one its interface declares. */
  public Roadmap(
      String id,
      String title,
      String seed,
      Class<?> workflowInterface,
      Class<?> workflowImplementation,
      Class<? extends Plan> planType,
      List<StepDef> steps,
      String examplePlan) {
    this(
        id,
        title,
        seed,
        workflowTypeOf(workflowInterface),
        workflowInterface,
        workflowImplementation,
        planType,
        steps,
        examplePlan);
  }

  public Roadmap {
    steps = List.copyOf(steps);
    List<String> problems = problemsIn(steps);
    if (!workflowInterface.isAssignableFrom(workflowImplementation)) {
      problems.add(workflowImplementation.getName() + " does not implement " + workflowInterface);
    }
    if (!workflowType.equals(workflowTypeOf(workflowInterface))) {
      problems.add(
          "workflow type " + workflowType + " is not the one " + workflowInterface + " declares");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("roadmap " + id + ": " + String.join("; ", problems));
    }
  }

  /** The Temporal workflow type, as the SDK names it from the interface. */
  static String workflowTypeOf(Class<?> workflowInterface) {
    return POJOWorkflowInterfaceMetadata.newInstance(workflowInterface)
        .getWorkflowMethod()
        .map(POJOWorkflowMethodMetadata::getName)
        .orElseThrow(
            () -> new IllegalStateException(workflowInterface + " has no @WorkflowMethod"));
  }

  public List<String> phases() {
    Set<String> phases = new LinkedHashSet<>();
    steps.forEach(s -> phases.add(s.phase()));
    return List.copyOf(phases);
  }

  /** The ids of the gates, in checklist order: what a plan's {@code gates:} may name. */
  public Set<String> gateIds() {
    Set<String> gates = new LinkedHashSet<>();
    steps.stream().filter(s -> s.kind() == StepKind.GATE).forEach(s -> gates.add(s.id()));
    return gates;
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
