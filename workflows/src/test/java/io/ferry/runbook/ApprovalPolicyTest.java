package io.ferry.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.plan.Approvals;
import io.ferry.plan.FailurePolicy;
import io.ferry.plan.GatePolicy;
import io.ferry.runbook.DrillRoadmap.DrillPlan;
import io.ferry.testing.CallLog;
import io.ferry.testing.FakeActivities;
import io.ferry.testing.Harness;
import io.temporal.client.WorkflowStub;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Who may approve a gate: a quorum of distinct people, the starter where the plan allows, a comment
 * where asked; the gate in front of the drill's point of no return (approve-burn) is the strict
 * one.
 */
class ApprovalPolicyTest {

  private static final DrillPlan PLAN = DrillRoadmap.plan(FailurePolicy.ROLLBACK);
  private static final String BURN = DrillRoadmap.APPROVE.id();
  private static final String CUTOVER = DrillRoadmap.APPROVE_CUTOVER.id();

  private static Harness drill() {
    return DrillRoadmap.harness(new CallLog(), new FakeActivities());
  }

  private static WorkflowStub start(Harness h, DrillPlan plan, String startedBy) {
    return h.start("Drill", plan.workflowId(), plan, Map.of(MigrationMemo.STARTED_BY, startedBy));
  }

  private static RunbookStatus atGate(Harness h, WorkflowStub stub, String gate) {
    return h.drive(stub, s -> s.pendingGates().stream().anyMatch(g -> g.id().equals(gate)));
  }

  private static GateStatus gate(RunbookStatus s, String id) {
    return s.gates().stream().filter(g -> g.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void gateInFrontOfPointOfNoReturn_needsTwoDistinctApprovers_andRecordsWhoWhenAndWhy() {
    try (Harness h = drill()) {
      WorkflowStub stub = start(h, PLAN, "sam@laptop");
      RunbookStatus open = atGate(h, stub, BURN);
      assertThat(gate(open, BURN).policy()).startsWith("2 distinct approvers, a comment");

      OperatorReply first =
          h.operate(stub, OperatorAction.APPROVE, OperatorInput.on(BURN, "ivy", "backups checked"));
      assertThat(first.message()).contains("1 of 2 approvals");
      RunbookStatus half = h.status(stub);
      assertThat(half.state()).isEqualTo(RunbookState.AWAITING_APPROVAL);
      assertThat(gate(half, BURN).decision()).isEqualTo("pending");
      assertThat(gate(half, BURN).approvalCount()).isEqualTo("1 of 2 approvals");

      h.operate(stub, OperatorAction.APPROVE, OperatorInput.on(BURN, "jo", "agreed"));
      RunbookResult result = h.driveToEnd(stub);

      assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
      GateStatus burn = gate(result.status(), BURN);
      assertThat(burn.decision()).isEqualTo("approved");
      assertThat(burn.approvals())
          .extracting(Approval::by, Approval::comment)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("ivy", "backups checked"),
              org.assertj.core.groups.Tuple.tuple("jo", "agreed"));
      assertThat(burn.approvals()).allSatisfy(a -> assertThat(a.at()).isNotNull());
      assertThat(result.status().step(BURN).result())
          .isEqualTo("approved by ivy (backups checked), jo (agreed)");
    }
  }

  @Test
  void samePersonApprovingTwice_isRefusedNamingThePolicy_andTheGateStaysOpen() {
    try (Harness h = drill()) {
      WorkflowStub stub = start(h, PLAN, "sam@laptop");
      atGate(h, stub, BURN);
      h.operate(stub, OperatorAction.APPROVE, OperatorInput.on(BURN, "ivy", "checked"));

      String refused =
          h.refusal(stub, OperatorAction.APPROVE, OperatorInput.on(BURN, "ivy", "really sure"));

      assertThat(refused)
          .contains("ivy has already approved gate approve-burn (1 of 2 approvals)")
          .contains("2 distinct approvers")
          .contains("another person must approve");
      assertThat(gate(h.status(stub), BURN).decision()).isEqualTo("pending");
    }
  }

  @Test
  void approvalWithoutComment_atTheStrictGate_isRefusedSayingHowToGiveOne() {
    try (Harness h = drill()) {
      WorkflowStub stub = start(h, PLAN, "sam@laptop");
      atGate(h, stub, BURN);

      assertThat(h.refusal(stub, OperatorAction.APPROVE, OperatorInput.on(BURN, "ivy", null)))
          .contains("needs a comment")
          .contains("-m");
    }
  }

  @Test
  void starter_isRefusedWherePlanForbids_butAnotherPersonApproves() {
    DrillPlan plan =
        new DrillPlan(
            "drill",
            "one",
            FailurePolicy.ROLLBACK,
            Map.of(CUTOVER, new GatePolicy(null, null, 1, false, false)));
    try (Harness h = drill()) {
      WorkflowStub stub = start(h, plan, "sam@laptop");
      atGate(h, stub, CUTOVER);

      String refused =
          h.refusal(stub, OperatorAction.APPROVE, OperatorInput.on(CUTOVER, "sam@laptop", "go"));
      assertThat(refused)
          .contains("sam@laptop started this migration and may not approve gate approve-cutover")
          .contains("starterMayApprove");

      h.operate(stub, OperatorAction.APPROVE, OperatorInput.on(CUTOVER, "ivy", null));
      RunbookStatus after =
          h.awaitStatus(
              stub, s -> !s.pendingGates().stream().anyMatch(g -> g.id().equals(CUTOVER)));
      assertThat(gate(after, CUTOVER).by()).isEqualTo("ivy");
    }
  }

  @Test
  void starterMayApprove_byDefault_atAnOrdinaryGate() {
    try (Harness h = drill()) {
      WorkflowStub stub = start(h, PLAN, "sam@laptop");
      atGate(h, stub, CUTOVER);

      assertThat(
              h.refusal(
                  stub, OperatorAction.APPROVE, OperatorInput.on(CUTOVER, "sam@laptop", null)))
          .isNull();
      assertThat(gate(h.status(stub), CUTOVER).policy()).isNull();
    }
  }

  @Test
  void onePersonTeam_approvesThePointOfNoReturnGateAlone_stillWithAComment() {
    try (Harness h = drill()) {
      WorkflowStub stub = start(h, PLAN.withApprovals(new Approvals(true)), "sam@laptop");
      atGate(h, stub, BURN);
      assertThat(gate(h.status(stub), BURN).quorum()).isEqualTo(1);
      assertThat(
              h.refusal(stub, OperatorAction.APPROVE, OperatorInput.on(BURN, "sam@laptop", null)))
          .contains("needs a comment");

      h.operate(
          stub, OperatorAction.APPROVE, OperatorInput.on(BURN, "sam@laptop", "on my own, checked"));
      RunbookResult result = h.driveToEnd(stub);

      assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
      assertThat(gate(result.status(), BURN).approvals()).hasSize(1);
    }
  }

  @Test
  void planQuorum_overridesTheStrictDefault() {
    DrillPlan plan =
        new DrillPlan(
            "drill",
            "one",
            FailurePolicy.ROLLBACK,
            Map.of(BURN, new GatePolicy(null, null, 3, null, false)));
    try (Harness h = drill()) {
      WorkflowStub stub = start(h, plan, "sam@laptop");
      atGate(h, stub, BURN);
      h.operate(stub, OperatorAction.APPROVE, OperatorInput.on(BURN, "a", null));
      h.operate(stub, OperatorAction.APPROVE, OperatorInput.on(BURN, "b", null));

      assertThat(gate(h.status(stub), BURN).approvalCount()).isEqualTo("2 of 3 approvals");
      assertThat(gate(h.status(stub), BURN).decision()).isEqualTo("pending");
      h.operate(stub, OperatorAction.APPROVE, OperatorInput.on(BURN, "c", null));
      assertThat(h.driveToEnd(stub).state()).isEqualTo(RunbookState.COMPLETED);
    }
  }
}
