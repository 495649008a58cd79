package io.ferry.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.plan.FailurePolicy;
import io.ferry.plan.GatePolicy;
import io.ferry.plan.OnTimeout;
import io.ferry.roadmap.Roadmap;
import io.ferry.runbook.DrillRoadmap.DrillPlan;
import io.ferry.testing.CallLog;
import io.ferry.testing.FakeActivities;
import io.ferry.testing.Harness;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The runbook engine's behaviours on the drill roadmap: gates, pause, rollback, cancel, soaks,
 * refusals. Failed steps that park for a decision: {@link RunbookParkingTest}.
 */
class RunbookEngineTest {

  private static final DrillPlan PLAN = DrillRoadmap.plan(FailurePolicy.ROLLBACK);

  private static Harness drill(CallLog log) {
    return DrillRoadmap.harness(log, new FakeActivities());
  }

  private static Harness drill(CallLog log, FakeActivities fakes) {
    return DrillRoadmap.harness(log, fakes);
  }

  private static WorkflowStub start(Harness h, DrillPlan plan) {
    return DrillRoadmap.start(h, plan);
  }

  private static boolean awaitsGate(RunbookStatus s, StepDef gate) {
    return s.pendingGates().stream().anyMatch(g -> g.id().equals(gate.id()));
  }

  @Test
  void happyPath_runsEveryStepInOrder_andUndoesNothing() {
    try (Harness h = drill(new CallLog())) {
      RunbookResult result = h.driveToEnd(start(h, PLAN));

      assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
      assertThat(h.log.stepsRun())
          .containsExactly(
              "make-thing",
              "wait-thing-ready",
              "fill-thing",
              "switch-thing",
              "probe-thing",
              "burn-bridge");
      assertThat(h.log.compensated()).isEmpty();
      assertThat(result.status().steps()).allMatch(s -> s.state() == StepState.DONE);
      assertThat(result.status().gates())
          .extracting(g -> g.approvals().get(0).by())
          .containsOnly(Harness.OPERATOR);
      assertThat(result.status().pointOfNoReturn()).isEqualTo("burn-bridge");
      assertThat(result.status().step("soak").result()).startsWith("soaked for 7d");
    }
  }

  @Test
  void rollbackAfterThePointOfNoReturn_isRefusedNamingTheStep_andNothingIsUndone() {
    try (Harness h = drill(new CallLog())) {
      WorkflowStub stub = start(h, PLAN);
      h.drive(stub, s -> awaitsGate(s, DrillRoadmap.APPROVE));
      // the gate in front of the point of no return needs two people, each saying why
      h.operate(stub, OperatorAction.APPROVE, OperatorInput.on("approve-burn", "ivy", "checked"));
      h.operate(stub, OperatorAction.APPROVE, OperatorInput.on("approve-burn", "jo", "agreed"));
      int logged =
          h.awaitStatus(stub, s -> s.state() == RunbookState.AWAITING_MANUAL_STEP)
              .operatorLog()
              .size();

      assertThatThrownBy(() -> h.operate(stub, OperatorAction.ROLLBACK, OperatorInput.by("ivy")))
          .isInstanceOf(WorkflowUpdateException.class)
          .hasStackTraceContaining(
              "rollback refused: step burn-bridge (Burn the old bridge) is a point of no return and ran at");
      stub.signal("rollback", OperatorInput.by("ivy"));
      RunbookStatus status = h.awaitStatus(stub, s -> s.operatorLog().size() > logged);

      assertThat(status.state()).isEqualTo(RunbookState.AWAITING_MANUAL_STEP);
      assertThat(status.pointOfNoReturn()).isEqualTo("burn-bridge");
      assertThat(status.operatorLog().get(logged).outcome())
          .startsWith("ignored: rollback refused");
      h.operate(stub, OperatorAction.COMPLETE, OperatorInput.on("tell-users", "ivy", null));
      assertThat(stub.getResult(RunbookResult.class).state()).isEqualTo(RunbookState.COMPLETED);
      assertThat(h.log.compensated()).isEmpty();
    }
  }

  @Test
  void gateTimeout_underRollbackPolicy_rollsBack() {
    DrillPlan plan =
        new DrillPlan(
            "drill",
            "one",
            FailurePolicy.ROLLBACK,
            Map.of("approve-cutover", new GatePolicy(Duration.ofHours(2), OnTimeout.ROLLBACK)));
    try (Harness h = drill(new CallLog())) {
      WorkflowStub stub = start(h, plan);
      h.drive(stub, s -> !s.pendingGates().isEmpty());
      RunbookResult result = stub.getResult(RunbookResult.class); // time skips to the timeout

      assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
      assertThat(result.outcome()).contains("gate approve-cutover timed out after 2h");
      assertThat(result.status().gates().get(0).decision()).isEqualTo("timed-out");
      assertThat(h.log.compensated()).containsExactly("switch-thing", "fill-thing", "make-thing");
    }
  }

  @Test
  void gateTimeout_underRemindAndWait_remindsThenContinuesOnApproval() {
    DrillPlan plan =
        new DrillPlan(
            "drill",
            "one",
            FailurePolicy.ROLLBACK,
            Map.of(
                "approve-cutover",
                new GatePolicy(Duration.ofHours(24), OnTimeout.REMIND_AND_WAIT)));
    try (Harness h = drill(new CallLog())) {
      WorkflowStub stub = start(h, plan);
      h.drive(stub, s -> !s.pendingGates().isEmpty());
      h.env.sleep(Duration.ofHours(50));

      RunbookStatus waiting = h.status(stub);
      assertThat(waiting.state()).isEqualTo(RunbookState.AWAITING_APPROVAL);
      assertThat(waiting.pendingGates().get(0).reminders()).isEqualTo(2);
      assertThat(waiting.operatorLog()).extracting(e -> e.action()).contains("remind");

      assertThat(h.driveToEnd(stub).state()).isEqualTo(RunbookState.COMPLETED);
    }
  }

  @Test
  void pause_takesEffectAtTheNextStepBoundary_andResumeContinues() {
    try (Harness h = drill(new CallLog())) {
      WorkflowStub stub = start(h, PLAN);
      h.awaitStatus(stub, s -> s.state() == RunbookState.AWAITING_MANUAL_STEP);
      h.operate(stub, OperatorAction.PAUSE, OperatorInput.by("bob"));
      h.operate(
          stub, OperatorAction.COMPLETE, OperatorInput.on("confirm-fill", "bob", "looks full"));

      RunbookStatus paused = h.awaitStatus(stub, s -> s.state() == RunbookState.PAUSED);
      assertThat(paused.currentStep()).isEqualTo("switch-thing");
      assertThat(paused.step("switch-thing").state()).isEqualTo(StepState.PENDING);
      assertThat(h.log.stepsRun()).doesNotContain("switch-thing");

      h.operate(stub, OperatorAction.RESUME, OperatorInput.by("bob"));
      assertThat(h.driveToEnd(stub).state()).isEqualTo(RunbookState.COMPLETED);
    }
  }

  @Test
  void operatorRollback_whileWaiting_undoesEveryStepDoneSoFar() {
    try (Harness h = drill(new CallLog())) {
      WorkflowStub stub = start(h, PLAN);
      h.awaitStatus(stub, s -> s.state() == RunbookState.AWAITING_MANUAL_STEP);
      h.operate(stub, OperatorAction.ROLLBACK, OperatorInput.on(null, "carol", "vendor incident"));
      RunbookResult result = stub.getResult(RunbookResult.class);

      assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
      assertThat(result.outcome()).contains("rollback requested by carol (vendor incident)");
      assertThat(h.log.compensated()).containsExactly("fill-thing", "make-thing");
    }
  }

  @Test
  void operatorRollback_duringALongStep_cancelsItAndUndoesEverything() {
    try (Harness h = drill(new CallLog(), new FakeActivities().migrationRunsUntilCancelled())) {
      WorkflowStub stub = start(h, PLAN);
      h.awaitStatus(stub, s -> s.step("fill-thing").state() == StepState.RUNNING);
      h.operate(stub, OperatorAction.ROLLBACK, OperatorInput.on(null, "judy", "wrong source"));
      RunbookResult result = stub.getResult(RunbookResult.class);

      assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
      assertThat(result.outcome()).contains("rollback requested by judy (wrong source)");
      assertThat(result.status().step("fill-thing").error()).contains("cancelled");
      assertThat(h.log.compensated()).containsExactly("fill-thing", "make-thing");
    }
  }

  @Test
  void rollbackWhilePaused_undoesEverythingWithoutResuming() {
    try (Harness h = drill(new CallLog())) {
      WorkflowStub stub = start(h, PLAN);
      h.awaitStatus(stub, s -> s.state() == RunbookState.AWAITING_MANUAL_STEP);
      h.operate(stub, OperatorAction.PAUSE, OperatorInput.by("bob"));
      h.operate(stub, OperatorAction.COMPLETE, OperatorInput.on("confirm-fill", "bob", null));
      h.awaitStatus(stub, s -> s.state() == RunbookState.PAUSED);
      h.operate(stub, OperatorAction.ROLLBACK, OperatorInput.on(null, "bob", "changed our minds"));
      RunbookResult result = stub.getResult(RunbookResult.class);

      assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
      assertThat(result.outcome()).contains("rollback requested by bob (changed our minds)");
      assertThat(h.log.stepsRun()).doesNotContain("switch-thing");
      assertThat(h.log.compensated()).containsExactly("fill-thing", "make-thing");
    }
  }

  @Test
  void rejectAtAGate_rollsBackEverythingDoneSoFar_namingWhoAndWhy() {
    try (Harness h = drill(new CallLog())) {
      WorkflowStub stub = start(h, PLAN);
      h.drive(stub, s -> !s.pendingGates().isEmpty());
      h.operate(
          stub, OperatorAction.REJECT, OperatorInput.on("approve-cutover", "alice", "not tonight"));
      RunbookResult result = stub.getResult(RunbookResult.class);

      assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
      assertThat(result.outcome()).contains("gate approve-cutover rejected by alice (not tonight)");
      assertThat(result.status().gates().get(0).decision()).isEqualTo("rejected");
      assertThat(h.log.compensated()).containsExactly("switch-thing", "fill-thing", "make-thing");
    }
  }

  @Test
  void operatorRollback_duringTheSoak_endsItAndUndoesEverything() {
    try (Harness h = drill(new CallLog())) {
      WorkflowStub stub = start(h, PLAN);
      h.drive(stub, s -> s.state() == RunbookState.SOAKING);
      h.operate(stub, OperatorAction.ROLLBACK, OperatorInput.on(null, "frank", "errors rising"));
      RunbookResult result = stub.getResult(RunbookResult.class);

      assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
      assertThat(result.outcome()).contains("rollback requested by frank (errors rising)");
      assertThat(result.status().step("soak").state()).isEqualTo(StepState.FAILED);
      assertThat(result.status().step("soak").error())
          .isEqualTo("rollback requested during the soak");
      assertThat(result.status().soak()).isNull();
      assertThat(h.log.compensated()).containsExactly("switch-thing", "fill-thing", "make-thing");
    }
  }

  @Test
  void cancellingTheWorkflow_rollsBack() {
    try (Harness h = drill(new CallLog())) {
      WorkflowStub stub = start(h, PLAN);
      h.drive(stub, s -> !s.pendingGates().isEmpty());
      stub.cancel();

      assertThatThrownBy(() -> stub.getResult(RunbookResult.class))
          .isInstanceOf(WorkflowFailedException.class)
          .hasCauseInstanceOf(CanceledFailure.class);
      assertThat(h.log.compensated()).containsExactly("switch-thing", "fill-thing", "make-thing");
    }
  }

  @Test
  void soak_canBeExtended_andEndedEarly() {
    try (Harness h = drill(new CallLog())) {
      WorkflowStub stub = start(h, PLAN);
      RunbookStatus soaking = h.drive(stub, s -> s.state() == RunbookState.SOAKING);
      h.operate(
          stub, OperatorAction.EXTEND_SOAK, new OperatorInput("soak", "frank", "holiday", "3d"));

      RunbookStatus extended = h.status(stub);
      assertThat(extended.soak().endsAt())
          .isEqualTo(soaking.soak().endsAt().plus(Duration.ofDays(3)));
      h.operate(stub, OperatorAction.END_SOAK, OperatorInput.by("frank"));
      RunbookStatus next = h.awaitStatus(stub, s -> s.state() == RunbookState.AWAITING_APPROVAL);
      assertThat(next.step("soak").result()).startsWith("ended early");
    }
  }

  @Test
  void invalidOperatorRequests_areRejectedWithAMessage_andChangeNothing() {
    try (Harness h = drill(new CallLog())) {
      WorkflowStub stub = start(h, PLAN);
      h.drive(stub, s -> !s.pendingGates().isEmpty());
      RunbookStatus before = h.status(stub);

      assertRefused(
          h,
          stub,
          OperatorAction.APPROVE,
          OperatorInput.on("approve-everything", "x", null),
          "unknown gate 'approve-everything'; gates of drill: approve-cutover, approve-burn");
      assertRefused(
          h,
          stub,
          OperatorAction.APPROVE,
          OperatorInput.on("approve-burn", "x", null),
          "gate approve-burn is not open yet");
      assertRefused(
          h, stub, OperatorAction.RESUME, OperatorInput.by("x"), "the migration is not paused");
      assertRefused(
          h,
          stub,
          OperatorAction.SKIP,
          OperatorInput.on("switch-thing", "x", null),
          "no step is parked");
      assertRefused(
          h,
          stub,
          OperatorAction.RETRY,
          OperatorInput.on("switch-thing", "x", null),
          "no step is parked");
      assertRefused(
          h,
          stub,
          OperatorAction.COMPLETE,
          OperatorInput.on("switch-thing", "x", null),
          "'switch-thing' is not a manual step of drill");
      assertRefused(
          h,
          stub,
          OperatorAction.EXTEND_SOAK,
          new OperatorInput("soak", "x", null, "2d"),
          "no soak is running");

      h.operate(stub, OperatorAction.APPROVE, OperatorInput.on("approve-cutover", "gina", null));
      assertRefused(
          h,
          stub,
          OperatorAction.APPROVE,
          OperatorInput.on("approve-cutover", "x", null),
          "gate approve-cutover was already approved by gina");
      // rejected updates never reach the workflow: only the accepted approve was logged
      assertThat(h.status(stub).operatorLog())
          .hasSize(before.operatorLog().size() + 1)
          .last()
          .satisfies(e -> assertThat(e.action()).isEqualTo("approve"));
    }
  }

  @Test
  void aSignalThatCannotApply_isLoggedAsIgnored() {
    try (Harness h = drill(new CallLog())) {
      WorkflowStub stub = start(h, PLAN);
      h.awaitStatus(stub, s -> s.state() == RunbookState.AWAITING_MANUAL_STEP);
      stub.signal("approve", OperatorInput.on("approve-burn", "hank", null));

      RunbookStatus status = h.awaitStatus(stub, s -> !s.operatorLog().isEmpty());
      assertThat(status.operatorLog().get(0).outcome())
          .startsWith("ignored: gate approve-burn is not open yet");
      assertThat(status.state()).isEqualTo(RunbookState.AWAITING_MANUAL_STEP);
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

  private static void assertRefused(
      Harness h, WorkflowStub stub, OperatorAction action, OperatorInput input, String message) {
    assertThatThrownBy(() -> h.operate(stub, action, input))
        .isInstanceOf(WorkflowUpdateException.class)
        .hasStackTraceContaining(message);
  }
}
