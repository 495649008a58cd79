package io.ferry.roadmap.appplatform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.activities.sim.FaultPlan;
import io.ferry.activities.sim.Ledger;
import io.ferry.activities.sim.LedgerChange;
import io.ferry.activities.sim.Resource;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.runbook.OperatorAction;
import io.ferry.runbook.OperatorInput;
import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepKind;
import io.ferry.runbook.StepState;
import io.ferry.runbook.StepStatus;
import io.ferry.testing.CallLog;
import io.ferry.testing.Harness;
import io.temporal.client.WorkflowStub;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The app-platform workflow on the simulated fleet, with time skipping. */
class AppPlatformWorkflowTest {

  private Harness run;
  private SimulatedFleet fleet;
  private Map<String, Resource> start;

  /** Starts the example plan on a simulated fleet seeded from it. */
  private WorkflowStub start(FaultPlan faults) {
    AppPlatformPlan plan = (AppPlatformPlan) Harness.examplePlan(Harness.roadmap("app-platform"));
    fleet = new SimulatedFleet(faults);
    fleet.seed(plan);
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

  private RunbookStatus drive(WorkflowStub stub, Predicate<RunbookStatus> stopWhen) {
    return run.drive(stub, stopWhen);
  }

  private RunbookResult driveToEnd(WorkflowStub stub) {
    return run.driveToEnd(stub);
  }

  private static StepStatus step(RunbookResult r, StepDef def) {
    return r.status().steps().stream()
        .filter(s -> s.id().equals(def.id()))
        .findFirst()
        .orElseThrow();
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
  void happyPath_runsEveryStep_andDestroysTheDropletLast() {
    RunbookResult result = driveToEnd(start(FaultPlan.none()));

    assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
    assertThat(result.status().steps()).allMatch(s -> s.state() == StepState.DONE);
    Map<String, Resource> end = fleet.ledger().snapshot();
    assertThat(end).doesNotContainKey("droplet/412345678");
    assertThat(end.get("app/lightclick").attribute("images"))
        .contains("backend=lightclick-backend:v2.4.0", "worker=lightclick-worker:v2.4.0");
    assertThat(end.get("app/lightclick").attribute("env"))
        .contains("JWT_SECRET(SECRET)")
        .doesNotContain("simulated-secret");
    assertThat(end.get("app/lightclick-staging")).isNotNull();
    assertThat(end.get("dns-record/www.lightclick.example.com/CNAME/5001").attribute("data"))
        .endsWith(".ondigitalocean.app.");
    assertThat(end.keySet()).anyMatch(k -> k.startsWith("snapshot/"));
    assertThat(step(result, AppPlatformSteps.MONITOR).result())
        .startsWith("31 probe rounds, 0 failed");
  }

  static Stream<String> stepsBeforeThePointOfNoReturn() {
    return AppPlatformSteps.ALL.stream()
        .filter(StepDef::runsActivity)
        .filter(s -> s.kind() != StepKind.POINT_OF_NO_RETURN)
        .map(StepDef::id);
  }

  @ParameterizedTest
  @MethodSource("stepsBeforeThePointOfNoReturn")
  void failureAtStep_rollsBackInReverse_eachCompensationOnce_andTheLedgerIsBack(String failing) {
    RunbookResult result = driveToEnd(start(FaultPlan.failAt(failing)));

    assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
    assertThat(Ledger.differences(start, fleet.ledger().snapshot(), true)).isEmpty();
    List<String> effectsDone = new ArrayList<>();
    for (StepDef def : AppPlatformSteps.ALL) {
      StepStatus s = step(result, def);
      if (def.kind() == StepKind.EFFECT && s.attempts() > 0) {
        effectsDone.add(def.id());
        assertThat(s.compensation()).as(def.id()).isEqualTo("done");
      }
    }
    List<String> undone = undoOrder();
    assertThat(undone).doesNotHaveDuplicates();
    List<String> reversed = new ArrayList<>(effectsDone);
    java.util.Collections.reverse(reversed);
    assertThat(reversed).containsSubsequence(undone);
  }

  @Test
  void failedProductionDeploy_restoresThePreviousDeployment() {
    RunbookResult result = driveToEnd(start(FaultPlan.failAt("deploy-production")));

    assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
    Resource app = fleet.ledger().snapshot().get("app/lightclick");
    assertThat(app).isEqualTo(start.get("app/lightclick"));
    assertThat(app.attribute("images")).contains(":v2.3.1").doesNotContain(":v2.4.0");
    assertThat(fleet.ledger().snapshot().values())
        .anyMatch(
            r ->
                r.kind().equals("app-deployment")
                    && r.attribute("cause").startsWith("rollback to ")
                    && "ACTIVE".equals(r.attribute("phase")));
  }

  @Test
  void failedDnsCutover_restoresThePreviousRecords() {
    RunbookResult result = driveToEnd(start(FaultPlan.failAt("switch-dns")));

    assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
    Map<String, Resource> end = fleet.ledger().snapshot();
    assertThat(end.get("dns-record/www.lightclick.example.com/CNAME/5001"))
        .isEqualTo(start.get("dns-record/www.lightclick.example.com/CNAME/5001"));
    assertThat(end.get("dns-record/www.lightclick.example.com/CNAME/5001").attribute("data"))
        .isEqualTo("lb.lightclick.example.com.");
  }

  @Test
  void failingProbesInTheMonitorWindow_spendTheBudget_andRollEverythingBack() {
    WorkflowStub stub = start(FaultPlan.none());
    fleet.setStatus("https://www.lightclick.example.com", 503);

    RunbookResult result = driveToEnd(stub);

    assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
    StepStatus monitor = step(result, AppPlatformSteps.MONITOR);
    assertThat(monitor.state()).isEqualTo(StepState.FAILED);
    assertThat(monitor.error())
        .contains("failure budget spent: 4 probe rounds, 4 failed (budget 3)")
        .contains("503");
    assertThat(Ledger.differences(start, fleet.ledger().snapshot(), true)).isEmpty();
  }

  @Test
  void rejectingTheProductionGate_rollsBackStaging() {
    WorkflowStub stub = start(FaultPlan.none());
    drive(stub, s -> !s.pendingGates().isEmpty());
    stub.signal("reject", OperatorInput.on("approve-production", "tester", "not today"));

    RunbookResult result = stub.getResult(RunbookResult.class);

    assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
    assertThat(result.outcome()).contains("rejected by tester");
    assertThat(step(result, AppPlatformSteps.DEPLOY_STAGING).compensation()).isEqualTo("done");
    assertThat(Ledger.differences(start, fleet.ledger().snapshot(), true)).isEmpty();
  }

  @Test
  void rollbackAfterTheDropletIsDestroyed_isRefused() {
    WorkflowStub stub = start(FaultPlan.none());
    RunbookStatus waiting =
        drive(
            stub, s -> s.waitingManualSteps().stream().anyMatch(m -> m.id().equals("update-docs")));
    assertThat(waiting.pointOfNoReturn()).isEqualTo("destroy-droplet");
    assertThat(fleet.ledger().snapshot()).doesNotContainKey("droplet/412345678");

    assertThatThrownBy(() -> run.operate(stub, OperatorAction.ROLLBACK, OperatorInput.by("tester")))
        .isInstanceOf(io.temporal.client.WorkflowUpdateException.class)
        .hasStackTraceContaining(
            "rollback refused: step destroy-droplet (Destroy the droplet) is a point of no return");
    RunbookResult result = driveToEnd(stub);
    assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
    assertThat(result.status().steps())
        .filteredOn(s -> s.kind() == StepKind.EFFECT)
        .allMatch(s -> s.compensation().equals("registered"));
  }
}
