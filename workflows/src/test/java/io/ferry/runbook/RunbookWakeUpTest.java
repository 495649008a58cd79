package io.ferry.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.plan.FailurePolicy;
import io.ferry.plan.GatePolicy;
import io.ferry.plan.OnTimeout;
import io.ferry.runbook.DrillRoadmap.DrillPlan;
import io.ferry.testing.CallLog;
import io.ferry.testing.FakeActivities;
import io.ferry.testing.Harness;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every durable timed wait publishes when it wakes ({@code RunbookStatus.nextWakeAt}), so a
 * rehearsal can skip straight to it; a running step or an untimed wait publishes none.
 */
class RunbookWakeUpTest {

  private static final DrillPlan PLAN = DrillRoadmap.plan(FailurePolicy.ROLLBACK);

  @Test
  void soak_publishesItsEnd_andAnExtensionMovesIt() {
    try (Harness h = DrillRoadmap.harness(new CallLog(), new FakeActivities())) {
      WorkflowStub stub = DrillRoadmap.start(h, PLAN);
      RunbookStatus soaking = h.drive(stub, s -> s.state() == RunbookState.SOAKING);

      assertThat(soaking.nextWakeAt()).isEqualTo(soaking.soak().endsAt());
      h.operate(
          stub, OperatorAction.EXTEND_SOAK, new OperatorInput("soak", "frank", "holiday", "3d"));
      RunbookStatus extended =
          h.awaitStatus(stub, s -> !soaking.nextWakeAt().equals(s.nextWakeAt()));
      assertThat(extended.nextWakeAt())
          .isEqualTo(soaking.soak().endsAt().plus(Duration.ofDays(3)))
          .isEqualTo(extended.soak().endsAt());
    }
  }

  @Test
  void gateWithATimeout_publishesItsDeadline_andEachReminderTheNext() {
    DrillPlan plan =
        new DrillPlan(
            "drill",
            "one",
            FailurePolicy.ROLLBACK,
            Map.of(
                "approve-cutover",
                new GatePolicy(Duration.ofHours(24), OnTimeout.REMIND_AND_WAIT)));
    try (Harness h = DrillRoadmap.harness(new CallLog(), new FakeActivities())) {
      WorkflowStub stub = DrillRoadmap.start(h, plan);
      RunbookStatus waiting = h.drive(stub, s -> !s.pendingGates().isEmpty());
      GateStatus gate = waiting.pendingGates().get(0);

      assertThat(waiting.nextWakeAt())
          .isEqualTo(gate.openedAt().plus(Duration.ofHours(24)))
          .isEqualTo(gate.timeoutAt());
      h.env.sleep(Duration.between(waiting.updatedAt(), waiting.nextWakeAt()).plusMinutes(1));
      RunbookStatus reminded = h.awaitStatus(stub, s -> s.pendingGates().get(0).reminders() == 1);
      assertThat(reminded.nextWakeAt())
          .isEqualTo(reminded.pendingGates().get(0).timeoutAt())
          .isAfter(waiting.nextWakeAt());
    }
  }

  @Test
  void untimedWaitsAndRunningSteps_publishNoWakeUp() {
    try (Harness h =
        DrillRoadmap.harness(new CallLog(), new FakeActivities().migrationRunsUntilCancelled())) {
      WorkflowStub stub = DrillRoadmap.start(h, PLAN);
      RunbookStatus running =
          h.awaitStatus(stub, s -> s.step("fill-thing").state() == StepState.RUNNING);
      assertThat(running.nextWakeAt()).isNull();

      h.operate(stub, OperatorAction.ROLLBACK, OperatorInput.on(null, "judy", null));
      assertThat(stub.getResult(RunbookResult.class).status().nextWakeAt()).isNull();
    }
    try (Harness h = DrillRoadmap.harness(new CallLog(), new FakeActivities())) {
      WorkflowStub stub = DrillRoadmap.start(h, PLAN);
      RunbookStatus manual = h.drive(stub, s -> s.state() == RunbookState.AWAITING_MANUAL_STEP);
      assertThat(manual.nextWakeAt()).isNull();
      RunbookStatus gate = h.drive(stub, s -> !s.pendingGates().isEmpty());
      assertThat(gate.pendingGates().get(0).timeoutAt()).isNull();
      assertThat(gate.nextWakeAt()).isNull();
    }
  }
}
