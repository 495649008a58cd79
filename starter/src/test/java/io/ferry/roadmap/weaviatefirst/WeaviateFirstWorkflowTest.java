package io.ferry.roadmap.weaviatefirst;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.sim.FaultPlan;
import io.ferry.activities.sim.Ledger;
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
import io.ferry.testing.CallLog;
import io.ferry.testing.FakeActivities;
import io.ferry.testing.Harness;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The weaviate-first workflow on fake activities and on the simulated fleet: its order, its
 * decisions and its compensations. The engine's own behaviours (pause, gates, parking, soaks...)
 * are tested on the drill roadmap.
 */
class WeaviateFirstWorkflowTest {

  private static final List<StepDef> TABLE = WeaviateFirstSteps.ALL;

  private static WeaviateFirstPlan plan() {
    return (WeaviateFirstPlan) Harness.examplePlan(Harness.roadmap("weaviate-first"));
  }

  @Test
  void happyPath_runsEveryStepInOrder_andUndoesNothing() {
    try (Harness h = new Harness()) {
      WorkflowStub stub = h.start(plan());
      RunbookResult result = h.driveToEnd(stub);

      assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
      assertThat(h.log.compensated()).isEmpty();
      List<String> expected =
          TABLE.stream()
              .filter(s -> s.runsActivity() && !s.conditional())
              .map(StepDef::id)
              .toList();
      assertThat(h.log.stepsRun()).containsExactlyElementsOf(expected);
      RunbookStatus status = result.status();
      assertThat(status.steps())
          .allSatisfy(s -> assertThat(s.state()).isIn(StepState.DONE, StepState.NOT_NEEDED));
      assertThat(status.step("create-micro-cache-droplet").result())
          .contains("chat p95 35 ms is within 50ms");
      assertThat(status.gates()).extracting(g -> g.decision()).containsOnly("approved");
      assertThat(status.gates())
          .extracting(g -> g.approvals().get(0).by())
          .containsOnly("test operator");
      assertThat(status.pointOfNoReturn()).isEqualTo("purge-memory-keys");
      assertThat(status.step("soak").result()).startsWith("soaked for 7d");
    }
  }

  @Test
  void slowChat_deploysTheMicroCache() {
    try (Harness h = new Harness(new CallLog(), new FakeActivities().chatP95(80))) {
      RunbookResult result = h.driveToEnd(h.start(plan()));

      assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
      assertThat(h.log.stepsRun())
          .contains(
              "create-micro-cache-droplet",
              "wait-micro-cache-active",
              "launch-micro-cache",
              "enable-micro-cache");
    }
  }

  static Stream<String> stepsBeforeThePointOfNoReturn() {
    return TABLE.stream()
        .filter(
            s -> s.runsActivity() && !s.conditional() && s.kind() != StepKind.POINT_OF_NO_RETURN)
        .map(StepDef::id);
  }

  @ParameterizedTest
  @MethodSource("stepsBeforeThePointOfNoReturn")
  void failureAtStep_rollsBackInReverse_eachCompensationOnce(String failing) {
    try (Harness h =
        new Harness(new CallLog().failAt(failing, Integer.MAX_VALUE), new FakeActivities())) {
      RunbookResult result = h.driveToEnd(h.start(plan()));

      assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
      assertThat(result.outcome())
          .contains("step " + failing + " failed")
          .contains("injected failure");
      List<String> registered = new ArrayList<>();
      for (StepDef step : TABLE) {
        if (step.kind() == StepKind.EFFECT && !step.conditional()) {
          registered.add(step.id());
        }
        if (step.id().equals(failing)) {
          break;
        }
      }
      List<String> reversed = new ArrayList<>(registered);
      java.util.Collections.reverse(reversed);
      assertThat(h.log.compensated()).containsExactlyElementsOf(reversed);
      reversed.forEach(step -> assertThat(h.log.compensationCalls(step)).isEqualTo(1));
      assertThat(result.status().step(failing).state())
          .isIn(StepState.FAILED, StepState.COMPENSATED);
    }
  }

  static Stream<String> microCacheSteps() {
    return TABLE.stream().filter(s -> s.runsActivity() && s.conditional()).map(StepDef::id);
  }

  /** The conditional steps, which the failures above never reach, on the simulated fleet. */
  @ParameterizedTest
  @MethodSource("microCacheSteps")
  void slowChatOnTheSimulatedFleet_failureAtAMicroCacheStep_undoesItInReverse_andTheLedgerIsBack(
      String failing) {
    WeaviateFirstPlan plan = plan();
    SimulatedFleet fleet = new SimulatedFleet(FaultPlan.failAt(failing));
    fleet.seed(plan);
    fleet.setLatency(plan.probes().chatUrl(), Duration.ofMillis(80));
    Map<String, Resource> start = fleet.ledger().snapshot();
    try (Harness h =
        new Harness(new CallLog(), fleet.activityImplementations(), fleet.interceptors())) {
      RunbookResult result = h.driveToEnd(h.start(plan));

      assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
      assertThat(result.outcome()).contains("step " + failing + " failed");
      assertThat(h.log.stepsRun()).contains("create-micro-cache-droplet", failing);
      List<String> reversed =
          new ArrayList<>(
              h.log.stepsRun().stream()
                  .filter(id -> stepCalled(id).kind() == StepKind.EFFECT)
                  .toList());
      java.util.Collections.reverse(reversed);
      assertThat(h.log.compensationProblems()).isEmpty();
      assertThat(h.log.compensationsRun()).containsExactlyElementsOf(reversed);
      assertThat(Ledger.differences(start, fleet.ledger().snapshot(), true)).isEmpty();
    }
  }

  private static StepDef stepCalled(String id) {
    return TABLE.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void rejectAtTheCutoverGate_rollsBackEverything() {
    try (Harness h = new Harness()) {
      WorkflowStub stub = h.start(plan());
      h.drive(stub, s -> !s.pendingGates().isEmpty());
      h.operate(
          stub,
          OperatorAction.REJECT,
          OperatorInput.on("approve-dns-cutover", "alice", "not tonight"));
      RunbookResult result = stub.getResult(RunbookResult.class);

      assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
      assertThat(result.outcome())
          .contains("gate approve-dns-cutover rejected by alice (not tonight)");
      assertThat(h.log.compensated())
          .containsExactly(
              "switch-app-config",
              "copy-structured",
              "migrate-memory",
              "create-collections",
              "ensure-database",
              "launch-weaviate",
              "create-firewall",
              "create-volume",
              "create-vector-droplet");
    }
  }
}
