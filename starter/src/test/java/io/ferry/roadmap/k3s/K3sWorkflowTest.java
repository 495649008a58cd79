package io.ferry.roadmap.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.SecretResolver;
import io.ferry.activities.sim.FaultPlan;
import io.ferry.activities.sim.Ledger;
import io.ferry.activities.sim.LedgerChange;
import io.ferry.activities.sim.Resource;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.roadmap.common.ShiftPlan;
import io.ferry.runbook.OperatorAction;
import io.ferry.runbook.OperatorInput;
import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepCall;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The k3s workflow on the simulated fleet, with time skipping. */
class K3sWorkflowTest {

  private static final String CLUSTER_TOKEN = "k3s-cluster-token-Wq81-never-in-history";

  private Harness run;
  private SimulatedFleet fleet;
  private Map<String, Resource> start;
  private K3sPlan plan;

  private WorkflowStub start(FaultPlan faults, String... knobs) {
    return start((K3sPlan) Harness.examplePlan(Harness.roadmap("k3s")), faults, knobs);
  }

  private WorkflowStub start(K3sPlan k3sPlan, FaultPlan faults, String... knobs) {
    plan = k3sPlan;
    fleet =
        new SimulatedFleet(
            faults,
            SecretResolver.withEnvironment(
                name -> name.equals("K3S_CLUSTER_TOKEN") ? CLUSTER_TOKEN : "stand-in-" + name));
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

  private static StepStatus step(RunbookResult r, StepDef def) {
    return r.status().steps().stream()
        .filter(s -> s.id().equals(def.id()))
        .findFirst()
        .orElseThrow();
  }

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
  void happyPath_buildsTheCluster_deploysInPriorityOrder_shiftsAllTraffic_andRemovesSwarm() {
    WorkflowStub stub = start(FaultPlan.none());
    RunbookResult result = run.driveToEnd(stub);

    assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
    // every step done; the inconclusive-analysis gate only opens when a window is inconclusive
    String decide = K3sSteps.SHIFT.decideInconclusive().id();
    assertThat(result.status().steps())
        .filteredOn(s -> !s.id().equals(decide))
        .allMatch(s -> s.state() == StepState.DONE);
    assertThat(step(result, K3sSteps.SHIFT.decideInconclusive()).state())
        .isEqualTo(StepState.PENDING);
    Map<String, Resource> end = fleet.ledger().snapshot();
    assertThat(end).containsKeys("k8s-node/sophia-ai-core", "k8s-node/sophia-production-instance");
    assertThat(end.get("k8s-node/sophia-ai-core").attribute("state")).isEqualTo("Ready");
    String site = "file/104.171.202.10:/etc/nginx/conf.d/sophia.conf";
    assertThat(end.get(site).attribute("sha256")).isNotEqualTo(start.get(site).attribute("sha256"));
    assertThat(end).doesNotContainKey("swarm-stack/10.0.0.5:sophia");
    // complete: the worker keeps no copy of the join token or kubeconfig
    assertThat(end.keySet()).noneMatch(k -> k.startsWith("worker-secret/"));
    assertThat(step(result, K3sSteps.DECOMMISSION_SWARM).result())
        .contains("the worker's copies of the join token and kubeconfig deleted");
    assertThat(end)
        .containsKey(
            "repo-file/104.171.202.103:/opt/sophia-main/archive/docker-swarm-legacy/docker-compose.yml")
        .containsKey("repo-file/104.171.202.103:/opt/sophia-main/MIGRATION_COMPLETE.md")
        .containsKey(
            "repo-file/104.171.202.103:/opt/sophia-main/archive/legacy-deployments/config.old");
    assertThat(end.get("helm-release/sophia/backend").attribute("imageTag")).isEqualTo("3f2c1ab");
    assertThat(step(result, K3sSteps.DEPLOY_SERVICES).result())
        .startsWith(
            "deployed memory-services r1, backend r1, mcp-servers r1, frontend r1, data-services r1")
        .contains("within the 15m target");
    // the shift's status: the share now, the zero-downtime count, every window's verdict
    assertThat(step(result, K3sSteps.SHIFT.shiftTraffic()).result())
        .startsWith("now 100 % on the new backend (routed 100 % to the new backend")
        .contains("; 0 of ")
        .contains("public requests failed (budget 0)")
        .contains("window 1: PASS at 0 %", "window 2: PASS at 10 %", "window 3: PASS at 25 %")
        .contains("window 4: PASS at 50 %", "window 5: PASS at 100 %");
    assertThat(step(result, K3sSteps.UPDATE_CI_PIPELINE).title())
        .contains(
            "helm upgrade --install backend kubernetes/helm/sophia-platform/charts/backend"
                + " --namespace sophia --create-namespace --set global.imageTag=3f2c1ab");
  }

  @Test
  void joinTokenAndKubeconfig_neverEnterHistory() {
    WorkflowStub stub = start(FaultPlan.none());
    run.driveToEnd(stub);

    String history = run.historyJson(stub);
    String decoded = decoded(history);
    // the join token and the kubeconfig both carry the cluster token, as K3s writes them
    assertThat(history + decoded).doesNotContain(CLUSTER_TOKEN).doesNotContain("K10");
    assertThat(decoded).contains("worker-secret:k3s-sophia-prod/kubeconfig");
  }

  @Test
  void failedAnalysisAt25Percent_putsAllTrafficBackOnSwarm_andRollsBack() {
    // the K3s stack fails 5 % of requests once it takes a quarter of the traffic: 10 % passes
    WorkflowStub stub = start(FaultPlan.none(), "error-rate", "0.05@25");
    RunbookResult result = run.driveToEnd(stub);

    assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
    assertThat(step(result, K3sSteps.SHIFT.analyzeTraffic()).error())
        .contains("failure budget spent")
        .contains("at 25 %");
    assertThat(step(result, K3sSteps.SHIFT.shiftTraffic()).result())
        .contains("window 2: PASS at 10 %")
        .doesNotContain("window 3");
    assertThat(Ledger.differences(start, fleet.ledger().snapshot(), true)).isEmpty();
    // all traffic back on Swarm first: the first undo is the shift's own
    StepCall firstUndo =
        fleet.ledger().journal().stream()
            .map(LedgerChange::step)
            .filter(c -> c != null && c.compensation())
            .findFirst()
            .orElseThrow();
    assertThat(firstUndo.step()).isEqualTo(K3sSteps.SHIFT.shiftTraffic().id());
  }

  @Test
  void bothStacksFailing_makeTheWindowInconclusive_andARejectedGatePutsAllTrafficBackOnSwarm() {
    // from 25 % K3s fails 5 %, and Swarm fails 5 % all along: the analysis cannot blame K3s
    // users see those failures too: a budget that allows them leaves the verdict to the analysis
    WorkflowStub stub =
        start(
            withShift(0.99, 1000),
            FaultPlan.none(),
            "error-rate",
            "0.05@25",
            "swarm-error-rate",
            "0.05");
    String decide = K3sSteps.SHIFT.decideInconclusive().id();
    RunbookStatus asking =
        run.drive(stub, s -> s.pendingGates().stream().anyMatch(g -> g.id().equals(decide)));

    assertThat(
            asking.steps().stream()
                .filter(s -> s.id().equals(K3sSteps.SHIFT.shiftTraffic().id()))
                .findFirst()
                .orElseThrow()
                .result())
        .contains("window 2: PASS at 10 %")
        .contains("window 3: INCONCLUSIVE at 25 %");
    run.operate(stub, OperatorAction.REJECT, OperatorInput.on(decide, "oncall", "both down"));
    RunbookResult result = stub.getResult(RunbookResult.class);

    assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
    assertThat(result.outcome()).contains("gate " + decide + " rejected by oncall (both down)");
    assertThat(Ledger.differences(start, fleet.ledger().snapshot(), true)).isEmpty();
  }

  @Test
  void publicFailuresPastTheBudget_endTheShiftAtOnce_andRollBack() {
    // K3s's 5 % errors pass a 90 % analysis, but users reaching K3s through the edge see them
    WorkflowStub stub = start(withShift(0.9, 0), FaultPlan.none(), "error-rate", "0.05");
    RunbookResult result = run.driveToEnd(stub);

    assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
    assertThat(step(result, K3sSteps.SHIFT.analyzeTraffic()).error())
        .contains(
            "zero-downtime budget spent: 1 of 20 requests to https://sophia.example.com/health");
    assertThat(step(result, K3sSteps.SHIFT.shiftTraffic()).result())
        .contains("now 10 % on the new backend")
        .contains("window 1: PASS at 0 %");
    assertThat(Ledger.differences(start, fleet.ledger().snapshot(), true)).isEmpty();
  }

  /** The example plan with the analysis's success rate and the zero-downtime budget set. */
  private static K3sPlan withShift(double minSuccessRate, int failedRequestBudget) {
    K3sPlan example = (K3sPlan) Harness.examplePlan(Harness.roadmap("k3s"));
    ShiftPlan s = example.shift();
    ShiftPlan shift =
        new ShiftPlan(
            s.steps(),
            s.window(),
            s.interval(),
            s.requests(),
            minSuccessRate,
            s.maxP95(),
            s.maxReplicationLag(),
            s.failureLimit(),
            s.inconclusiveLimit(),
            s.inconclusive(),
            failedRequestBudget);
    return new K3sPlan(
        example.roadmap(),
        example.name(),
        example.failurePolicy(),
        example.repository(),
        example.cluster(),
        example.deploy(),
        example.edge(),
        shift,
        example.swarm(),
        example.soak(),
        example.gates());
  }

  static Stream<String> stepsBeforeThePointOfNoReturn() {
    return K3sSteps.ALL.stream()
        .filter(StepDef::runsActivity)
        .filter(s -> s.kind() != StepKind.POINT_OF_NO_RETURN)
        .map(StepDef::id);
  }

  @ParameterizedTest
  @MethodSource("stepsBeforeThePointOfNoReturn")
  void failureAtStep_rollsBackInReverse_andTheLedgerIsBack(String failing) {
    RunbookResult result = run(failing);

    assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
    assertThat(Ledger.differences(start, fleet.ledger().snapshot(), true)).isEmpty();
    List<String> effects = new ArrayList<>();
    for (StepStatus s : result.status().steps()) {
      if (s.kind() == StepKind.EFFECT && s.state() != StepState.PENDING) {
        effects.add(s.id());
      }
    }
    List<String> reversed = new ArrayList<>(effects);
    java.util.Collections.reverse(reversed);
    assertThat(undoOrder()).isSubsetOf(reversed);
    assertThat(undoOrder())
        .isSortedAccordingTo(java.util.Comparator.comparingInt(reversed::indexOf));
  }

  private RunbookResult run(String failing) {
    WorkflowStub stub = start(FaultPlan.failAt(failing));
    return run.driveToEnd(stub);
  }

  private static String decoded(String historyJson) {
    StringBuilder out = new StringBuilder();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"data\"\\s*:\\s*\"([A-Za-z0-9+/=]+)\"")
            .matcher(historyJson);
    while (m.find()) {
      try {
        out.append(
                new String(
                    java.util.Base64.getDecoder().decode(m.group(1)),
                    java.nio.charset.StandardCharsets.UTF_8))
            .append('\n');
      } catch (IllegalArgumentException e) {
        // not base64
      }
    }
    return out.toString();
  }
}
