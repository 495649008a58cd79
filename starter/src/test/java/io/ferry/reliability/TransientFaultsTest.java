package io.ferry.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.sim.Fault;
import io.ferry.activities.sim.FaultPlan;
import io.ferry.activities.sim.Ledger;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.plan.Plan;
import io.ferry.roadmap.Roadmap;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepKind;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * For every registered roadmap and every step that changes something, the step's activity fails
 * transiently twice after its effect landed, then succeeds: the migration completes and the ledger
 * equals an uninterrupted run's, so no retry made anything twice (the idempotency keys hold).
 */
class TransientFaultsTest {

  static final int FAILURES = 2;
  private static final AtomicInteger RUN = new AtomicInteger();
  private static final AtomicInteger PASSED = new AtomicInteger();

  @TestFactory
  Stream<DynamicNode> everyRoadmap_retriedSteps_createNothingTwice() {
    return Examples.roadmaps().stream()
        .map(
            roadmap ->
                DynamicContainer.dynamicContainer(
                    roadmap.id(),
                    roadmap.steps().stream()
                        .filter(
                            s ->
                                s.kind() == StepKind.EFFECT
                                    || s.kind() == StepKind.POINT_OF_NO_RETURN)
                        .map(
                            step ->
                                DynamicTest.dynamicTest(
                                    step.id() + " fails " + FAILURES + "x after its effect",
                                    () -> retried(roadmap, step)))));
  }

  @AfterAll
  static void printCounts() {
    System.out.printf(
        "transient faults: %d cases run, %d passed (each step failing %d times after its effect)%n",
        RUN.get(), PASSED.get(), FAILURES);
  }

  private static void retried(Roadmap roadmap, StepDef step) {
    Baseline baseline = Baseline.of(roadmap);
    Assumptions.assumeTrue(
        baseline.stepsRun().contains(step.id()), step.id() + " does not run with the example plan");
    RUN.incrementAndGet();
    Plan plan = Examples.plan(roadmap);
    SimulatedFleet fleet =
        Baseline.fleet(
            plan, FaultPlan.none().and(new Fault(step.id(), false, Fault.When.AFTER, FAILURES)));
    try (RoadmapRun run = new RoadmapRun(roadmap, plan, fleet)) {
      run.start();
      RunbookStatus end = run.driveToEnd();
      assertThat(end.state()).as("%s", end).isEqualTo(RunbookState.COMPLETED);
      assertThat(
              run.calls.calls().stream()
                  .filter(c -> c.step().step().equals(step.id()) && !c.succeeded())
                  .count())
          .as("the injected transient failures of %s", step.id())
          .isEqualTo(FAILURES);
      assertThat(Ledger.differences(baseline.after(), fleet.ledger().snapshot(), false))
          .as("ledger against an uninterrupted run, after %s was retried", step.id())
          .isEmpty();
    }
    PASSED.incrementAndGet();
  }
}
