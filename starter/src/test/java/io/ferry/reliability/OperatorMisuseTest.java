package io.ferry.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.sim.FaultPlan;
import io.ferry.plan.Plan;
import io.ferry.roadmap.Roadmap;
import io.ferry.runbook.GateStatus;
import io.ferry.runbook.OperatorAction;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepKind;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * For every registered roadmap, the requests an operator should not be able to make: each is
 * refused by the update's validator with a message, and the migration's status is unchanged.
 */
class OperatorMisuseTest {

  private static final AtomicInteger RUN = new AtomicInteger();
  private static final AtomicInteger PASSED = new AtomicInteger();

  @TestFactory
  Stream<DynamicTest> everyRoadmap_refusesMisuseAndChangesNothing() {
    return Examples.roadmaps().stream().map(r -> DynamicTest.dynamicTest(r.id(), () -> misuse(r)));
  }

  @AfterAll
  static void printCounts() {
    System.out.printf("operator misuse: %d cases run, %d passed%n", RUN.get(), PASSED.get());
  }

  private static void misuse(Roadmap roadmap) {
    Plan plan = Examples.plan(roadmap);
    List<String> failures = new ArrayList<>();
    try (RoadmapRun run = new RoadmapRun(roadmap, plan, Baseline.fleet(plan, FaultPlan.none()))) {
      run.start();
      RunbookStatus atGate = run.drive(s -> !s.pendingGates().isEmpty());
      assertThat(atGate.state())
          .as("%s stops at its first gate", roadmap.id())
          .isEqualTo(RunbookState.AWAITING_APPROVAL);
      String gate = atGate.pendingGates().get(0).id();
      String effect =
          roadmap.steps().stream()
              .filter(s -> s.kind() == StepKind.EFFECT)
              .map(StepDef::id)
              .findFirst()
              .orElse(gate);

      refused(
          run,
          failures,
          "approve an unknown gate",
          OperatorAction.APPROVE,
          "no-such-gate",
          "no-such-gate");
      refused(run, failures, "resume when running", OperatorAction.RESUME, null, "not paused");
      refused(run, failures, "skip a step that is not parked", OperatorAction.SKIP, effect, "not");

      run.operate(OperatorAction.APPROVE, gate);
      RunbookStatus next = run.drive(s -> waitsAfter(s, gate));
      refused(run, failures, "approve " + gate + " twice", OperatorAction.APPROVE, gate, gate);

      assertThat(next).isNotNull();
      RunbookStatus end = run.driveToEnd();
      if (Examples.pointOfNoReturn(roadmap) < roadmap.steps().size()) {
        assertThat(end.state()).isEqualTo(RunbookState.COMPLETED);
        assertThat(end.pointOfNoReturn()).isNotNull();
        RUN.incrementAndGet();
        // the point of no return was the last step: the workflow has closed and stays completed
        try {
          run.operate(OperatorAction.ROLLBACK, null);
          failures.add("rollback after the end: accepted");
        } catch (WorkflowNotFoundException | WorkflowUpdateException refused) {
          assertThat(run.result().state()).isEqualTo(RunbookState.COMPLETED);
          PASSED.incrementAndGet();
          System.out.printf(
              "%s: rollback after the point of no return (the migration ended) -> refused: %s%n",
              roadmap.id(), refused.getClass().getSimpleName());
        }
      }
    }
    rollbackAfterPointOfNoReturnWhileOpen(roadmap, failures);
    assertThat(failures).as("operator misuse on %s", roadmap.id()).isEmpty();
  }

  /**
   * When a step that runs an activity follows the point of no return, it fails there: the migration
   * is open and parked, and a rollback must be refused naming the point of no return.
   */
  private static void rollbackAfterPointOfNoReturnWhileOpen(
      Roadmap roadmap, List<String> failures) {
    List<StepDef> steps = roadmap.steps();
    StepDef after =
        steps
            .subList(Math.min(Examples.pointOfNoReturn(roadmap) + 1, steps.size()), steps.size())
            .stream()
            .filter(StepDef::runsActivity)
            .findFirst()
            .orElse(null);
    if (after == null) {
      return;
    }
    Plan plan = Examples.plan(roadmap);
    try (RoadmapRun run =
        new RoadmapRun(roadmap, plan, Baseline.fleet(plan, FaultPlan.failAt(after.id())))) {
      run.start();
      RunbookStatus parked = run.driveToEnd();
      assertThat(parked.state()).isEqualTo(RunbookState.AWAITING_DECISION);
      refused(
          run,
          failures,
          "rollback after the point of no return",
          OperatorAction.ROLLBACK,
          null,
          "point of no return");
    }
  }

  /**
   * A stable wait after the gate was approved (the next gate, a manual step, a soak) or the end.
   */
  private static boolean waitsAfter(RunbookStatus s, String gate) {
    boolean decided =
        s.gates().stream()
            .filter(g -> g.id().equals(gate))
            .map(GateStatus::decision)
            .findFirst()
            .orElse("pending")
            .equals("approved");
    return decided
        && (s.state() == RunbookState.AWAITING_APPROVAL
            || s.state() == RunbookState.AWAITING_MANUAL_STEP
            || s.state() == RunbookState.SOAKING);
  }

  private static void refused(
      RoadmapRun run,
      List<String> failures,
      String what,
      OperatorAction action,
      String target,
      String messageMentions) {
    RUN.incrementAndGet();
    RunbookStatus before = run.status();
    String refusal = run.refusal(action, target);
    RunbookStatus after = run.status();
    if (refusal == null) {
      failures.add(what + ": accepted");
    } else if (refusal.isBlank() || !refusal.contains(messageMentions)) {
      failures.add(what + ": refused without saying why (" + refusal + ")");
    } else if (!before.equals(after)) {
      failures.add(what + ": refused, but the status changed");
    } else {
      PASSED.incrementAndGet();
      System.out.printf("%s: %s -> refused: %s%n", run.roadmap.id(), what, refusal);
    }
  }
}
