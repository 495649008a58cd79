package io.ferry.runbook;

import java.util.ArrayList;
import java.util.List;

/**
 * A roadmap's checklist, written once: each step constant registers itself as it is declared, so
 * the table is in declaration order without listing every constant a second time. The class that
 * declares the steps ends with {@code ALL = TABLE.steps()}, which closes the table; a step added
 * after that is a programming error.
 */
public final class StepTable {
  private final List<StepDef> steps = new ArrayList<>();
  private boolean closed;

  public StepDef add(StepDef step) {
    if (closed) {
      throw new IllegalStateException("step " + step.id() + " declared after the table closed");
    }
    steps.add(step);
    return step;
  }

  /** The steps in declaration order; closes the table. */
  public List<StepDef> steps() {
    closed = true;
    return List.copyOf(steps);
  }
}
