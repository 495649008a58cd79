package io.ferry.roadmap.dotransition;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.sim.FaultPlan;
import io.ferry.activities.sim.Ledger;
import io.ferry.activities.sim.Resource;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepState;
import io.ferry.testing.CallLog;
import io.ferry.testing.Harness;
import io.temporal.client.WorkflowStub;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The do-transition workflow on the simulated fleet, with time skipping. */
class DoTransitionWorkflowTest {

  private static final String APP = "10.116.0.3";
  private Harness run;
  private SimulatedFleet fleet;
  private Map<String, Resource> start;
  private DoTransitionPlan plan;

  private WorkflowStub start(FaultPlan faults, String... knobs) {
    plan = (DoTransitionPlan) Harness.examplePlan(Harness.roadmap("do-transition"));
    fleet = new SimulatedFleet(faults);
    fleet.seed(plan);
    for (int i = 0; i < knobs.length; i += 2) {
      fleet.turn(plan, knobs[i], knobs[i + 1]);
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

  @Test
  void happyPath_movesTheAppOntoTheNodes_archivesTheSource_andStopsItLast() {
    WorkflowStub stub = start(FaultPlan.none());
    RunbookResult result = run.driveToEnd(stub);

    assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
    Map<String, Resource> end = fleet.ledger().snapshot();
    Resource env = end.get("file/" + APP + ":/opt/cherry_ai/.env");
    assertThat(env.attribute("mode")).isEqualTo("0600");
    assertThat(end).containsKey("service/" + APP + ":cherry-ai-api");
    assertThat(end).containsKey("file/" + APP + ":/etc/systemd/system/cherry-ai-api.service");
    assertThat(end).containsKey("container/" + APP + ":mcp-server");
    assertThat(end).containsKey("service/" + APP + ":node_exporter");
    assertThat(end).containsKey("file/" + APP + ":/opt/cherry_ai/core/api/main.py");
    assertThat(end).doesNotContainKey("file/" + APP + ":/opt/cherry_ai/venv/bin/python");
    assertThat(end).doesNotContainKey("file/" + APP + ":/opt/cherry_ai/.git/HEAD");
    assertThat(end.keySet())
        .anyMatch(k -> k.startsWith("object/cherry-archives/paperspace/cherry_ai_final_backup_"));
    assertThat(end).doesNotContainKey("service/184.105.3.17:cherry_ai-dev");
    assertThat(result.status().step(DoTransitionSteps.DESTROY_SOURCE_VM.id()).result())
        .startsWith("done, confirmed by");
    assertThat(result.status().step(DoTransitionSteps.MIGRATE_MEMORY.id()).result())
        .contains("malformed set aside");
  }

  @Test
  void failureAtServiceStart_rollsBack_withThePreviousEnvBack_andNoUnitLeft() {
    WorkflowStub stub = start(FaultPlan.failAt(DoTransitionSteps.START_API_SERVICE.id()));
    RunbookResult result = run.driveToEnd(stub);

    assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
    Map<String, Resource> end = fleet.ledger().snapshot();
    assertThat(end.get("file/" + APP + ":/opt/cherry_ai/.env"))
        .isEqualTo(start.get("file/" + APP + ":/opt/cherry_ai/.env"));
    assertThat(end).doesNotContainKey("service/" + APP + ":cherry-ai-api");
    assertThat(end).doesNotContainKey("file/" + APP + ":/etc/systemd/system/cherry-ai-api.service");
    assertThat(Ledger.differences(start, end, true)).isEmpty();
  }

  @Test
  void cpuOverItsThresholdDuringTheSoak_isShownInTheLog_andAtTheDecommissionGate() {
    WorkflowStub stub = start(FaultPlan.none(), "node-cpu", "93");

    RunbookStatus atGate =
        run.drive(
            stub,
            s ->
                s.pendingGates().stream()
                    .anyMatch(g -> g.id().equals(DoTransitionSteps.APPROVE_DECOMMISSION.id())));

    String briefing = atGate.step(DoTransitionSteps.APPROVE_DECOMMISSION.id()).result();
    assertThat(briefing).contains("breached a threshold during the soak").contains("cpu 93% > 80%");
    assertThat(atGate.operatorLog())
        .anyMatch(e -> e.action().equals("soak-breach") && e.outcome().contains("cpu 93% > 80%"));
    assertThat(atGate.step(DoTransitionSteps.SOAK_UNTIL_DECOMMISSION.id()).state())
        .isEqualTo(StepState.DONE);
  }

  @Test
  void quietSoak_saysNoThresholdWasBreached() {
    WorkflowStub stub = start(FaultPlan.none());

    RunbookStatus atGate =
        run.drive(
            stub,
            s ->
                s.pendingGates().stream()
                    .anyMatch(g -> g.id().equals(DoTransitionSteps.APPROVE_DECOMMISSION.id())));

    assertThat(atGate.step(DoTransitionSteps.APPROVE_DECOMMISSION.id()).result())
        .contains("no threshold breached");
    assertThat(atGate.operatorLog()).noneMatch(e -> e.action().equals("soak-breach"));
  }
}
