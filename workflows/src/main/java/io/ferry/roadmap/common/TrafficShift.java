package io.ferry.roadmap.common;

import static io.ferry.runbook.StepDef.check;
import static io.ferry.runbook.StepDef.effect;
import static io.ferry.runbook.StepDef.gate;

import io.ferry.contract.EdgeActivities;
import io.ferry.contract.EdgeActivities.EdgeHost;
import io.ferry.contract.EdgeActivities.EdgeRestore;
import io.ferry.contract.EdgeActivities.EdgeRoutes;
import io.ferry.contract.EdgeActivities.EdgeSite;
import io.ferry.contract.TrafficActivities;
import io.ferry.contract.TrafficActivities.AnalysisProbe;
import io.ferry.contract.TrafficActivities.AnalysisRound;
import io.ferry.contract.TrafficActivities.LagLimit;
import io.ferry.contract.TrafficActivities.Verdict;
import io.ferry.runbook.Runbook;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepTable;
import io.ferry.runbook.WatchReport;
import java.util.ArrayList;
import java.util.List;

/**
 * A gradual traffic shift through an edge proxy: test users first, then the new backend's share
 * step by step, each followed by an analysis window probing the old and the new backend (and the
 * replicas' lag when the roadmap has one). A failed window puts all traffic back on the old backend
 * at once (the first undo of the rollback); an inconclusive one asks the operator at a gate.
 */
public final class TrafficShift {

  private final StepDef routeTestUsers;
  private final StepDef shiftTraffic;
  private final StepDef analyzeTraffic;
  private final StepDef decideInconclusive;

  private TrafficShift(
      StepDef routeTestUsers,
      StepDef shiftTraffic,
      StepDef analyzeTraffic,
      StepDef decideInconclusive) {
    this.routeTestUsers = routeTestUsers;
    this.shiftTraffic = shiftTraffic;
    this.analyzeTraffic = analyzeTraffic;
    this.decideInconclusive = decideInconclusive;
  }

  /** Declares the shift's four steps in {@code table}, in the order they first run. */
  public static TrafficShift declare(StepTable table, String phase) {
    return new TrafficShift(
        table.add(
            effect(
                phase,
                "route-test-users",
                "Send test users to the new backend; everyone else stays on the old one",
                "put back the edge's config as it was")),
        table.add(
            effect(
                phase,
                "shift-traffic",
                "Give the new backend its next share of traffic",
                "put all traffic back on the old backend")),
        table.add(
            check(
                phase,
                "analyze-traffic",
                "Analysis window: probe the old and new backends against the thresholds")),
        table.add(
            gate(
                    phase,
                    "decide-inconclusive-analysis",
                    "An analysis window was inconclusive: approve to go on, reject to roll back")
                .onlyWhenDecided()));
  }

  public StepDef routeTestUsers() {
    return routeTestUsers;
  }

  public StepDef shiftTraffic() {
    return shiftTraffic;
  }

  public StepDef analyzeTraffic() {
    return analyzeTraffic;
  }

  public StepDef decideInconclusive() {
    return decideInconclusive;
  }

  /**
   * Where the shift happens and what it measures.
   *
   * @param key the idempotency key the edge keeps its original config under
   * @param oldUrls probed on the old backend (its health path)
   * @param newUrls probed on the new backend
   * @param lag the replication lag to hold under the plan's limit, or null
   */
  public record Target(
      EdgeHost edge,
      EdgeSite site,
      String key,
      List<String> oldUrls,
      List<String> newUrls,
      LagLimit lag) {}

  /** Runs the shift to 100 %; returns the verdict of each analysis window, in order. */
  public List<String> run(Runbook runbook, ShiftPlan plan, Target target) {
    boolean testUsers = target.site().testUsers() != null;
    runbook.step(
        routeTestUsers,
        EdgeActivities.class,
        edge -> edge.routeTraffic(routes(target, testUsers, 0)),
        edge -> edge.restoreEdge(new EdgeRestore(target.edge(), target.key())));
    List<String> verdicts = new ArrayList<>();
    verdicts.add(analyze(runbook, plan, target, 0));
    for (int share : plan.steps()) {
      runbook.step(
          shiftTraffic,
          EdgeActivities.class,
          edge -> edge.routeTraffic(routes(target, testUsers, share)),
          edge -> edge.routeTraffic(routes(target, testUsers, 0)));
      verdicts.add(analyze(runbook, plan, target, share));
    }
    return verdicts;
  }

  private static EdgeRoutes routes(Target target, boolean testUsers, int share) {
    return new EdgeRoutes(target.edge(), target.site(), testUsers, share, target.key());
  }

  /**
   * One analysis window. Rounds that fail beyond the limit end it in the watch itself, which rolls
   * back; an inconclusive window goes to the operator under {@code ask}.
   */
  private String analyze(Runbook runbook, ShiftPlan plan, Target target, int share) {
    boolean inconclusiveFails = plan.inconclusive().equals("rollback");
    AnalysisProbe probe =
        new AnalysisProbe(
            share,
            target.oldUrls(),
            target.newUrls(),
            plan.requests(),
            plan.minSuccessRate(),
            plan.maxP95(),
            target.lag(),
            inconclusiveFails);
    List<AnalysisRound> rounds = new ArrayList<>();
    WatchReport report =
        runbook.watch(
            analyzeTraffic,
            TrafficActivities.class,
            traffic -> {
              AnalysisRound round = traffic.probeRound(probe);
              rounds.add(round);
              return round;
            },
            plan.window(),
            plan.interval(),
            plan.failureLimit());
    long inconclusive = rounds.stream().filter(r -> r.verdict() == Verdict.INCONCLUSIVE).count();
    String verdict =
        (inconclusive > plan.inconclusiveLimit() ? "INCONCLUSIVE" : "PASS")
            + " at "
            + share
            + " %: "
            + report.summary();
    if (inconclusive > plan.inconclusiveLimit() && !inconclusiveFails) {
      runbook.gate(decideInconclusive);
    }
    return verdict;
  }
}
