package io.ferry.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.plan.FailurePolicy;
import io.ferry.runbook.DrillRoadmap.DrillPlan;
import io.ferry.testing.CallLog;
import io.ferry.testing.FakeActivities;
import io.ferry.testing.Harness;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.CanceledFailure;
import org.junit.jupiter.api.Test;

/**
 * A failed step (under the {@code ask} policy, or past the point of no return) or a failed
 * compensation parks the migration until an operator decides: retry, skip or roll back.
 */
class RunbookParkingTest {

  private static final DrillPlan PLAN = DrillRoadmap.plan(FailurePolicy.ROLLBACK);
  private static final DrillPlan ASKING = DrillRoadmap.plan(FailurePolicy.ASK);

  private static Harness drill(CallLog log) {
    return DrillRoadmap.harness(log, new FakeActivities());
  }

  private static WorkflowStub start(Harness h, DrillPlan plan) {
    return DrillRoadmap.start(h, plan);
  }

  private static boolean awaitsGate(RunbookStatus s, StepDef gate) {
    return s.pendingGates().stream().anyMatch(g -> g.id().equals(gate.id()));
  }

  @Test
  void aFailureAfterThePointOfNoReturn_parksWithoutOfferingRollback() {
    try (Harness h = drill(new CallLog().failAt("burn-bridge", 1))) {
      WorkflowStub stub = start(h, PLAN);
      h.drive(stub, s -> awaitsGate(s, DrillRoadmap.APPROVE));
      // the gate in front of the point of no return needs two people, each saying why
      h.operate(stub, OperatorAction.APPROVE, OperatorInput.on("approve-burn", "ivy", "checked"));
      h.operate(stub, OperatorAction.APPROVE, OperatorInput.on("approve-burn", "jo", "agreed"));
      RunbookStatus parked = h.awaitStatus(stub, s -> s.parked() != null);

      // the policy says rollback, but an irreversible step may have half-run: a person decides
      assertThat(parked.parked().choices()).containsExactly("retry", "skip", "rollback");
      assertThat(parked.pointOfNoReturn()).isNull();
      h.operate(stub, OperatorAction.RETRY, OperatorInput.on("burn-bridge", "ivy", null));
      h.awaitStatus(stub, s -> s.state() == RunbookState.AWAITING_MANUAL_STEP);
      assertThat(h.status(stub).pointOfNoReturn()).isEqualTo("burn-bridge");
    }
  }

  @Test
  void cancellingWhileAStepIsParked_rollsBack_andDropsTheQuestion() {
    try (Harness h = drill(new CallLog().failAt("probe-thing", Integer.MAX_VALUE))) {
      WorkflowStub stub = start(h, ASKING);
      h.drive(stub, s -> s.parked() != null);
      stub.cancel();

      assertThatThrownBy(() -> stub.getResult(RunbookResult.class))
          .hasCauseInstanceOf(CanceledFailure.class);
      RunbookStatus status = h.status(stub);
      assertThat(status.state()).isEqualTo(RunbookState.ROLLED_BACK);
      assertThat(status.parked()).isNull();
      assertThat(h.log.compensated()).endsWith("make-thing");
    }
  }

  @Test
  void failedCompensation_parks_thenRetryFinishesTheRollback() {
    CallLog log =
        new CallLog().failAt("probe-thing", Integer.MAX_VALUE).failAt("undo:fill-thing", 1);
    try (Harness h = drill(log)) {
      WorkflowStub stub = start(h, PLAN);
      RunbookStatus parked = h.drive(stub, s -> s.parked() != null);

      assertThat(parked.state()).isEqualTo(RunbookState.AWAITING_DECISION);
      assertThat(parked.parked().step()).isEqualTo("fill-thing");
      assertThat(parked.parked().during()).isEqualTo("compensation");
      assertThat(parked.parked().choices()).containsExactly("retry", "skip");
      assertThatThrownBy(() -> h.operate(stub, OperatorAction.ROLLBACK, OperatorInput.by("dave")))
          .isInstanceOf(WorkflowUpdateException.class)
          .hasStackTraceContaining("already rolling back");

      h.operate(stub, OperatorAction.RETRY, OperatorInput.on("fill-thing", "dave", null));
      RunbookResult result = stub.getResult(RunbookResult.class);
      assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
      assertThat(h.log.compensationCalls("fill-thing")).isEqualTo(2);
      assertThat(result.status().step("fill-thing").state()).isEqualTo(StepState.COMPENSATED);
      assertThat(h.log.compensated()).containsExactly("switch-thing", "fill-thing", "make-thing");
    }
  }

  @Test
  void failedCompensation_parks_thenSkipRecordsItAndGoesOn() {
    CallLog log =
        new CallLog().failAt("probe-thing", Integer.MAX_VALUE).failAt("undo:fill-thing", 1);
    try (Harness h = drill(log)) {
      WorkflowStub stub = start(h, PLAN);
      h.drive(stub, s -> s.parked() != null);
      h.operate(
          stub, OperatorAction.SKIP, OperatorInput.on("fill-thing", "dave", "emptied by hand"));
      RunbookResult result = stub.getResult(RunbookResult.class);

      assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
      StepStatus skipped = result.status().step("fill-thing");
      assertThat(skipped.state()).isEqualTo(StepState.COMPENSATION_SKIPPED);
      assertThat(skipped.compensation()).isEqualTo("skipped by dave");
      assertThat(h.log.compensated()).containsExactly("switch-thing", "make-thing");
    }
  }

  @Test
  void askPolicy_parksAFailedStep_andRetryCompletesTheMigration() {
    try (Harness h = drill(new CallLog().failAt("probe-thing", 1))) {
      WorkflowStub stub = start(h, ASKING);
      RunbookStatus parked = h.drive(stub, s -> s.parked() != null);

      assertThat(parked.parked().step()).isEqualTo("probe-thing");
      assertThat(parked.parked().choices()).containsExactly("retry", "skip", "rollback");
      h.operate(stub, OperatorAction.RETRY, OperatorInput.on("probe-thing", "erin", null));

      RunbookResult result = h.driveToEnd(stub);
      assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
      assertThat(result.status().step("probe-thing").attempts()).isEqualTo(2);
    }
  }

  @Test
  void askPolicy_skipMarksTheStepSkipped_andGoesOn() {
    try (Harness h = drill(new CallLog().failAt("probe-thing", Integer.MAX_VALUE))) {
      WorkflowStub stub = start(h, ASKING);
      h.drive(stub, s -> s.parked() != null);
      h.operate(
          stub, OperatorAction.SKIP, OperatorInput.on("probe-thing", "erin", "probed by hand"));

      RunbookResult result = h.driveToEnd(stub);
      assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
      assertThat(result.status().step("probe-thing").state()).isEqualTo(StepState.SKIPPED);
      assertThat(result.outcome()).contains("1 skipped");
    }
  }

  @Test
  void askPolicy_refusesToSkipAStepWhoseResultLaterStepsNeed() {
    try (Harness h = drill(new CallLog().failAt("wait-thing-ready", Integer.MAX_VALUE))) {
      WorkflowStub stub = start(h, ASKING);
      h.awaitStatus(stub, s -> s.parked() != null);

      assertThatThrownBy(
              () ->
                  h.operate(
                      stub,
                      OperatorAction.SKIP,
                      OperatorInput.on("wait-thing-ready", "erin", null)))
          .isInstanceOf(WorkflowUpdateException.class)
          .hasStackTraceContaining(
              "skip is not possible for wait-thing-ready; choose retry or rollback");
      h.operate(stub, OperatorAction.ROLLBACK, OperatorInput.by("erin"));
      assertThat(stub.getResult(RunbookResult.class).state()).isEqualTo(RunbookState.ROLLED_BACK);
    }
  }
}
