package io.ferry.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.plan.FailurePolicy;
import io.ferry.roadmap.Roadmap;
import io.ferry.runbook.DrillRoadmap.DrillPlan;
import io.ferry.testing.CallLog;
import io.ferry.testing.FakeActivities;
import io.ferry.testing.Harness;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunbookEngineTest {

  private static final DrillPlan PLAN =
      new DrillPlan("drill", "one", FailurePolicy.ROLLBACK, Map.of());

  @Test
  void rollbackAfterThePointOfNoReturn_isRefusedNamingTheStep_andNothingIsUndone() {
    try (Harness h =
        new Harness(new CallLog(), new FakeActivities(), DrillRoadmap.DrillWorkflowImpl.class)) {
      WorkflowStub stub = h.start("Drill", "drill-one", PLAN);
      h.awaitStatus(stub, s -> !s.pendingGates().isEmpty());
      h.operate(stub, OperatorAction.APPROVE, OperatorInput.on("approve-burn", "ivy", null));
      h.awaitStatus(stub, s -> s.state() == RunbookState.AWAITING_MANUAL_STEP);

      assertThatThrownBy(() -> h.operate(stub, OperatorAction.ROLLBACK, OperatorInput.by("ivy")))
          .isInstanceOf(WorkflowUpdateException.class)
          .hasStackTraceContaining(
              "rollback refused: step burn-bridge (Burn the old bridge) is a point of no return and ran at");
      stub.signal("rollback", OperatorInput.by("ivy"));
      RunbookStatus status = h.awaitStatus(stub, s -> s.operatorLog().size() >= 2);

      assertThat(status.state()).isEqualTo(RunbookState.AWAITING_MANUAL_STEP);
      assertThat(status.pointOfNoReturn()).isEqualTo("burn-bridge");
      assertThat(status.operatorLog().get(1).outcome()).startsWith("ignored: rollback refused");
      h.operate(stub, OperatorAction.COMPLETE, OperatorInput.on("tell-users", "ivy", null));
      assertThat(stub.getResult(RunbookResult.class).state()).isEqualTo(RunbookState.COMPLETED);
      assertThat(h.log.compensated()).isEmpty();
    }
  }

  @Test
  void aFailureAfterThePointOfNoReturn_parksWithoutOfferingRollback() {
    CallLog log = new CallLog().failAt("burn-bridge", 1);
    try (Harness h = new Harness(log, new FakeActivities(), DrillRoadmap.DrillWorkflowImpl.class)) {
      WorkflowStub stub = h.start("Drill", "drill-one", PLAN);
      h.awaitStatus(stub, s -> !s.pendingGates().isEmpty());
      h.operate(stub, OperatorAction.APPROVE, OperatorInput.on("approve-burn", "ivy", null));
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
  void stepTables_putEveryPointOfNoReturnBehindAGate() {
    assertThat(Roadmap.problemsIn(DrillRoadmap.STEPS)).isEmpty();
    assertThat(Roadmap.problemsIn(List.of(DrillRoadmap.MAKE, DrillRoadmap.BURN)))
        .containsExactly("point of no return burn-bridge must sit behind a gate");
    io.ferry.roadmap.Roadmaps.all()
        .forEach(r -> assertThat(Roadmap.problemsIn(r.steps())).as(r.id()).isEmpty());
  }

  @Test
  void stepActivityIds_roundTrip() {
    for (StepCall id :
        List.of(
            new StepCall("switch-dns", false, 1),
            new StepCall("switch-dns", true, 1),
            new StepCall("switch-dns", false, 3))) {
      assertThat(StepCall.parse(id.activityId())).isEqualTo(id);
    }
  }
}
