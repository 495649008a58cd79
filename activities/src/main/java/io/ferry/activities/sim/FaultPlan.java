package io.ferry.activities.sim;

import java.util.ArrayList;
import java.util.List;

/** The faults a simulated fleet injects, by step. */
public record FaultPlan(List<Fault> faults) {

  public FaultPlan {
    faults = faults == null ? List.of() : List.copyOf(faults);
  }

  public static FaultPlan none() {
    return new FaultPlan(List.of());
  }

  /** The step fails for good, after its effect has landed (a rollback must undo it). */
  public static FaultPlan failAt(String stepId) {
    return none().and(new Fault(stepId, false, Fault.When.AFTER, Integer.MAX_VALUE));
  }

  public FaultPlan and(Fault fault) {
    List<Fault> more = new ArrayList<>(faults);
    more.add(fault);
    return new FaultPlan(more);
  }
}
