package io.ferry.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.sim.FaultPlan;
import io.ferry.activities.sim.Ledger;
import io.ferry.activities.sim.Resource;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.plan.FailurePolicy;
import io.ferry.plan.Plan;
import io.ferry.roadmap.Roadmap;
import io.ferry.runbook.OperatorAction;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepKind;
import io.ferry.runbook.StepState;
import io.ferry.runbook.StepStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * For every registered roadmap and every step of its table that runs an activity, a permanent fault
 * after the step's effect, on the simulated fleet with the roadmap's example plan. Before the point
 * of no return the migration must end rolled back with the ledger back at its start (retained
 * resources aside) and every compensation run once, in reverse order of registration. At or after
 * it, nothing is undone automatically: the migration parks with an honest status, and after it a
 * rollback is refused.
 */
class FaultMatrixTest {

  private static final AtomicInteger RUN = new AtomicInteger();
  private static final AtomicInteger PASSED = new AtomicInteger();
  private static final List<String> NOT_EXERCISED = Collections.synchronizedList(new ArrayList<>());

  @TestFactory
  Stream<DynamicNode> everyRoadmap_failingEachStep_undoesOrStopsHonestly() {
    return Examples.roadmaps().stream()
        .map(
            roadmap ->
                DynamicContainer.dynamicContainer(
                    roadmap.id(),
                    roadmap.steps().stream()
                        .filter(StepDef::runsActivity)
                        .map(
                            step ->
                                DynamicTest.dynamicTest(
                                    "fail " + step.id(), () -> failAt(roadmap, step)))));
  }

  @AfterAll
  static void printCounts() {
    System.out.printf(
        "fault matrix: %d cases run, %d passed; not exercised by the example plans (conditional"
            + " steps not decided): %s%n",
        RUN.get(), PASSED.get(), NOT_EXERCISED.isEmpty() ? "none" : NOT_EXERCISED);
  }

  private static void failAt(Roadmap roadmap, StepDef step) {
    Baseline baseline = Baseline.of(roadmap);
    if (!baseline.stepsRun().contains(step.id())) {
      NOT_EXERCISED.add(roadmap.id() + ":" + step.id());
      Assumptions.abort(
          step.id() + " does not run with the example plan (" + conditional(step) + ")");
    }
    RUN.incrementAndGet();
    Plan plan = Examples.plan(roadmap);
    SimulatedFleet fleet = Baseline.fleet(plan, FaultPlan.failAt(step.id()));
    Map<String, Resource> before = fleet.ledger().snapshot();
    try (RoadmapRun run = new RoadmapRun(roadmap, plan, fleet)) {
      run.start();
      RunbookStatus end = run.driveToEnd();
      if (Examples.beforePointOfNoReturn(roadmap, step.id())) {
        assertRolledBack(roadmap, step, run, end, before, fleet.ledger().snapshot());
      } else {
        assertStoppedHonestly(roadmap, step, run, end);
      }
    }
    PASSED.incrementAndGet();
  }

  private static void assertRolledBack(
      Roadmap roadmap,
      StepDef step,
      RoadmapRun run,
      RunbookStatus end,
      Map<String, Resource> before,
      Map<String, Resource> after) {
    assertThat(run.plan.failurePolicy()).isEqualTo(FailurePolicy.ROLLBACK);
    assertThat(end.state())
        .as("state after %s failed: %s", step.id(), end)
        .isEqualTo(RunbookState.ROLLED_BACK);
    assertThat(end.step(step.id()).error()).contains("injected fault");
    assertThat(Ledger.differences(before, after, true))
        .as("ledger differences from the start after %s failed and rolled back", step.id())
        .isEmpty();
    List<String> registered =
        run.calls.stepsRun().stream()
            .filter(id -> roadmap.step(id).kind() == StepKind.EFFECT)
            .toList();
    List<String> expected = new ArrayList<>(registered);
    Collections.reverse(expected);
    assertThat(run.calls.compensationProblems()).as("compensations ran once each").isEmpty();
    assertThat(run.calls.compensationsRun())
        .as("compensations, in reverse order of registration")
        .containsExactlyElementsOf(expected);
    for (String id : registered) {
      StepStatus s = end.step(id);
      assertThat(s.compensation()).as("compensation of %s", id).isEqualTo("done");
      assertThat(s.state()).isEqualTo(StepState.COMPENSATED);
    }
  }

  private static void assertStoppedHonestly(
      Roadmap roadmap, StepDef step, RoadmapRun run, RunbookStatus end) {
    assertThat(end.state())
        .as("at or after the point of no return a failure waits for a person: %s", end)
        .isEqualTo(RunbookState.AWAITING_DECISION);
    assertThat(end.parked()).isNotNull();
    assertThat(end.parked().step()).isEqualTo(step.id());
    assertThat(end.parked().error()).contains("injected fault");
    assertThat(end.step(step.id()).state()).isEqualTo(StepState.FAILED);
    assertThat(run.calls.compensationsRun()).as("nothing undone automatically").isEmpty();
    if (step.kind() == StepKind.POINT_OF_NO_RETURN && end.pointOfNoReturn() == null) {
      // the irreversible step itself failed: it may have done part of its work; a person decides
      assertThat(end.parked().choices()).contains("retry");
      return;
    }
    assertThat(end.pointOfNoReturn()).as("the point of no return that ran").isNotNull();
    assertThat(end.parked().choices()).doesNotContain("rollback");
    String refusal = run.refusal(OperatorAction.ROLLBACK, null);
    assertThat(refusal).as("rollback after the point of no return").contains("point of no return");
    RunbookStatus after = run.status();
    assertThat(after).as("a refused rollback changes nothing").isEqualTo(end);
    assertThat(roadmap.step(end.pointOfNoReturn()).kind()).isEqualTo(StepKind.POINT_OF_NO_RETURN);
  }

  private static String conditional(StepDef step) {
    return step.conditional() ? "a conditional step the plan's measurements did not call for" : "?";
  }
}
