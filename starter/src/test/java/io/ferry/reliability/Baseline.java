package io.ferry.reliability;

import io.ferry.activities.sim.Resource;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.plan.Plan;
import io.ferry.roadmap.Roadmap;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An uninterrupted run of a roadmap's example plan on a fresh simulated fleet: which steps ran, and
 * the ledger before and after. Computed once per roadmap and JVM; the checks compare against it.
 */
record Baseline(
    List<String> stepsRun,
    Map<String, Resource> before,
    Map<String, Resource> after,
    RunbookStatus status) {

  private static final Map<String, Baseline> CACHE = new ConcurrentHashMap<>();

  static Baseline of(Roadmap roadmap) {
    return CACHE.computeIfAbsent(roadmap.id(), id -> run(roadmap));
  }

  /** A fresh simulated fleet seeded with what the plan expects to find. */
  static SimulatedFleet fleet(Plan plan, io.ferry.activities.sim.FaultPlan faults) {
    SimulatedFleet fleet = new SimulatedFleet(faults);
    Examples.seed(fleet, plan);
    return fleet;
  }

  private static Baseline run(Roadmap roadmap) {
    Plan plan = Examples.plan(roadmap);
    SimulatedFleet fleet = fleet(plan, io.ferry.activities.sim.FaultPlan.none());
    Map<String, Resource> before = fleet.ledger().snapshot();
    try (RoadmapRun run = new RoadmapRun(roadmap, plan, fleet)) {
      run.start();
      RunbookStatus end = run.driveToEnd();
      if (end.state() != RunbookState.COMPLETED) {
        throw new AssertionError(
            roadmap.id() + ": the example plan does not complete on the simulated fleet: " + end);
      }
      return new Baseline(run.calls.stepsRun(), before, fleet.ledger().snapshot(), end);
    }
  }
}
