package io.ferry.roadmap.standardnode;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.sim.FaultPlan;
import io.ferry.activities.sim.Ledger;
import io.ferry.activities.sim.LedgerChange;
import io.ferry.activities.sim.Resource;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepState;
import io.ferry.testing.CallLog;
import io.ferry.testing.Harness;
import io.temporal.client.WorkflowStub;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The standard-node workflow on the simulated fleet, with time skipping. */
class StandardNodeWorkflowTest {

  private Harness run;
  private SimulatedFleet fleet;
  private StandardNodePlan plan;
  private Map<String, Resource> start;

  private WorkflowStub start(FaultPlan faults, String knob, String value) {
    return start(
        (StandardNodePlan) Harness.examplePlan(Harness.roadmap("standard-node")),
        faults,
        knob,
        value);
  }

  private WorkflowStub start(StandardNodePlan p, FaultPlan faults, String knob, String value) {
    plan = p;
    fleet = new SimulatedFleet(faults);
    fleet.seed(plan);
    if (knob != null) {
      fleet.turn(plan, knob, value);
    }
    start = fleet.ledger().snapshot();
    run = new Harness(new CallLog(), fleet.activityImplementations(), fleet.interceptors());
    return run.start(plan);
  }

  @AfterEach
  void close() {
    if (run != null) {
      run.close();
    }
  }

  /** The steps whose undo changed the ledger, in the order they did. */
  private List<String> undoOrder() {
    List<String> order = new ArrayList<>();
    for (LedgerChange c : fleet.ledger().journal()) {
      if (c.step() != null
          && c.step().compensation()
          && (order.isEmpty() || !order.get(order.size() - 1).equals(c.step().step()))) {
        order.add(c.step().step());
      }
    }
    return order;
  }

  @Test
  void happyPath_decommissionsTheOldServicesAfterTheLastGate() {
    RunbookResult result = run_(start(FaultPlan.none(), null, null));

    assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
    assertThat(result.status().pointOfNoReturn()).isEqualTo("decommission-old-services");
    assertThat(fleet.ledger().snapshot().get("service/10.0.0.1:aurora-backend").attribute("state"))
        .isEqualTo("disabled");
  }

  @Test
  void keepBoth_skipsTheDecommission_withAllTrafficOnTheNewBackend() throws Exception {
    String text;
    try (var in = getClass().getResourceAsStream("/plans/standard-node.example.yaml")) {
      text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    StandardNodePlan keepBoth =
        new io.ferry.plan.PlanLoader()
            .load(
                "keep-both",
                text.replace("decommission: true", "decommission: false"),
                StandardNodePlan.class);
    RunbookResult result = run_(start(keepBoth, FaultPlan.none(), null, null));

    assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
    Map<String, Resource> end = fleet.ledger().snapshot();
    assertThat(end.keySet())
        .contains(
            "replication-slot/aurora-postgres-u44170.vm.elestio.app:25432/runpod_tx",
            "standby/10.0.0.2:/var/lib/postgresql/15/standby",
            "compose/10.0.0.1:aurora-standard-node");
    assertThat(end.get("service/10.0.0.1:aurora-backend").attribute("state")).isEqualTo("active");
    assertThat(result.status().step("shift-traffic").result()).contains("routed 100 %");
    assertThat(result.status().step("check-new-services").result())
        .contains("chat-backend, event-bus, prometheus");
    assertThat(result.status().step("verify-streaming").result())
        .contains("runpod_tx from 10.0.0.2 lag 40 ms");
    assertThat(result.status().step("decommission-old-services").state())
        .isEqualTo(StepState.NOT_NEEDED);
  }

  private RunbookResult run_(WorkflowStub stub) {
    return run.driveToEnd(stub);
  }

  @Test
  void failingNewBackend_failsTheFirstAnalysis_putsAllTrafficBackAtOnce_andRollsBack() {
    RunbookResult result = run_(start(FaultPlan.none(), "new-backend-status", "502"));

    assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
    assertThat(result.status().step("analyze-traffic").error()).contains("FAIL at 0 %");
    assertThat(undoOrder())
        .containsSubsequence(
            "route-test-users",
            "bootstrap-replicas",
            "disable-old-cron-entries",
            "start-standard-node");
    assertThat(Ledger.differences(start, fleet.ledger().snapshot(), true)).isEmpty();
  }

  @Test
  void replicasCatchingUpDuringTheHold_releaseIt_andTheMigrationGoesOn() {
    WorkflowStub stub = start(FaultPlan.none(), "replica-lag", "30s");
    run.drive(stub, s -> s.step("verify-streaming").result() != null);
    fleet.turn(plan, "replica-lag", "2s");
    RunbookResult result = run.driveToEnd(stub);

    assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
    assertThat(result.status().step("verify-streaming").result())
        .isEqualTo(
            "streaming: runpod_tx from 10.0.0.2 lag 2000 ms, vengeance from 10.0.0.3 lag 2000 ms,"
                + " aurora_local from 10.0.0.1 lag 2000 ms");
  }

  @Test
  void lateFailedAnalysis_sendsAllTrafficToTheOldBackendFirst() {
    WorkflowStub stub = start(FaultPlan.none(), null, null);
    run.drive(
        stub,
        s ->
            s.step("shift-traffic").result() != null
                && s.step("shift-traffic").result().contains("50 %"));
    fleet.setStatus("http://10.0.0.1:8003/api/health", 503);
    RunbookResult result = run.driveToEnd(stub);

    assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
    assertThat(undoOrder().get(0)).isEqualTo("shift-traffic");
    assertThat(Ledger.differences(start, fleet.ledger().snapshot(), true)).isEmpty();
  }

  @Test
  void laggingReplicas_holdTheCutover_thenEverythingRollsBackWithNoSlotLeft() {
    WorkflowStub stub = start(FaultPlan.none(), "replica-lag", "30s");
    RunbookStatus holding = run.drive(stub, s -> s.step("verify-streaming").result() != null);

    assertThat(holding.step("verify-streaming").state()).isEqualTo(StepState.RUNNING);
    assertThat(holding.step("verify-streaming").result())
        .startsWith("holding")
        .contains("runpod_tx from 10.0.0.2 lag 30000 ms")
        .contains("vengeance from 10.0.0.3 lag 30000 ms")
        .contains("aurora_local from 10.0.0.1 lag 30000 ms");
    RunbookResult result = run.driveToEnd(stub);
    assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
    assertThat(result.status().step("verify-streaming").error())
        .contains("still not met after 30m")
        .contains("runpod_tx replays 30000 ms behind, over the limit of 10000 ms");
    assertThat(result.status().step("route-test-users").state()).isEqualTo(StepState.PENDING);
    assertThat(fleet.ledger().snapshot().keySet())
        .noneMatch(k -> k.startsWith("replication-slot/"));
    assertThat(Ledger.differences(start, fleet.ledger().snapshot(), true)).isEmpty();
  }
}
