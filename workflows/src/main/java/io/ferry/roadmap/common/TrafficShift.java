package io.ferry.roadmap.common;

import static io.ferry.runbook.StepDef.check;
import static io.ferry.runbook.StepDef.effect;
import static io.ferry.runbook.StepDef.gate;

import io.ferry.contract.EdgeActivities;
import io.ferry.contract.EdgeActivities.EdgeHost;
import io.ferry.contract.EdgeActivities.EdgeRestore;
import io.ferry.contract.EdgeActivities.EdgeRouted;
import io.ferry.contract.EdgeActivities.EdgeRoutes;
import io.ferry.contract.EdgeActivities.EdgeSite;
import io.ferry.contract.EdgeActivities.ReloadWatch;
import io.ferry.contract.TrafficActivities;
import io.ferry.contract.TrafficActivities.AnalysisProbe;
import io.ferry.contract.TrafficActivities.AnalysisRound;
import io.ferry.contract.TrafficActivities.LagLimit;
import io.ferry.contract.TrafficActivities.Verdict;
import io.ferry.runbook.Runbook;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepTable;
import io.ferry.runbook.WatchReport;
import java.time.Duration;
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
   * @param publicUrls probed through the edge in every round of every window, the zero-downtime
   *     count against the plan's {@code failedRequestBudget}; empty when the roadmap has none
   */
  public record Target(
      EdgeHost edge,
      EdgeSite site,
      String key,
      List<String> oldUrls,
      List<String> newUrls,
      LagLimit lag,
      List<String> publicUrls) {

    public Target {
      publicUrls = publicUrls == null ? List.of() : List.copyOf(publicUrls);
    }
  }

  /**
   * Runs the shift to 100 %; returns each analysis window's verdict, in order. While it runs, the
   * shift-traffic step's status shows the current share, the failed public requests against the
   * budget and every window's verdict so far.
   */
  public List<String> run(Runbook runbook, ShiftPlan plan, Target target) {
    boolean testUsers = target.site().testUsers() != null;
    ShiftProgress progress = new ShiftProgress(plan.failedRequestBudget(), target.publicUrls());
    EdgeRouted first =
        runbook.step(
            routeTestUsers,
            EdgeActivities.class,
            edge -> edge.routeTraffic(routes(target, testUsers, 0)),
            edge -> edge.restoreEdge(new EdgeRestore(target.edge(), target.key())));
    progress.shifted(0, first);
    analyze(runbook, plan, target, 0, progress);
    for (int share : plan.steps()) {
      EdgeRouted routed =
          runbook.step(
              shiftTraffic,
              EdgeActivities.class,
              edge -> edge.routeTraffic(watched(target, testUsers, share, progress)),
              edge -> edge.routeTraffic(routes(target, testUsers, 0)));
      progress.shifted(share, routed);
      runbook.brief(shiftTraffic, progress.summary());
      analyze(runbook, plan, target, share, progress);
    }
    return progress.windows();
  }

  /** The public URLs are probed until the next round starts, so the watch has no gaps. */
  private static Duration publicSpan(ShiftPlan plan) {
    return plan.interval().compareTo(LONGEST_PUBLIC_SPAN) > 0
        ? LONGEST_PUBLIC_SPAN
        : plan.interval();
  }

  private static EdgeRoutes routes(Target target, boolean testUsers, int share) {
    return new EdgeRoutes(target.edge(), target.site(), testUsers, share, target.key());
  }

  /** A change at the edge with the public URLs watched through its reload. */
  private static EdgeRoutes watched(
      Target target, boolean testUsers, int share, ShiftProgress progress) {
    ReloadWatch watch =
        target.publicUrls().isEmpty()
            ? null
            : new ReloadWatch(target.publicUrls(), progress.failuresAllowed(), RELOAD_SETTLE);
    return new EdgeRoutes(target.edge(), target.site(), testUsers, share, target.key(), watch);
  }

  /** nginx's old workers finish their requests after the reload returns. */
  private static final Duration RELOAD_SETTLE = Duration.ofSeconds(3);

  /** A round's activity must end well inside its two-minute limit. */
  private static final Duration LONGEST_PUBLIC_SPAN = Duration.ofSeconds(90);

  /**
   * One analysis window. Rounds that fail beyond the limit, or one that spends the zero-downtime
   * budget, end it in the watch itself, which rolls back; an inconclusive window goes to the
   * operator under {@code ask}.
   */
  private void analyze(
      Runbook runbook, ShiftPlan plan, Target target, int share, ShiftProgress progress) {
    boolean inconclusiveFails = plan.inconclusive().equals("rollback");
    List<AnalysisRound> rounds = new ArrayList<>();
    WatchReport report =
        runbook.watch(
            analyzeTraffic,
            TrafficActivities.class,
            traffic -> {
              AnalysisRound round =
                  traffic.probeRound(
                      new AnalysisProbe(
                          share,
                          target.oldUrls(),
                          target.newUrls(),
                          plan.requests(),
                          plan.minSuccessRate(),
                          plan.maxP95(),
                          target.lag(),
                          inconclusiveFails,
                          target.publicUrls(),
                          progress.failuresAllowed(),
                          publicSpan(plan)));
              rounds.add(round);
              progress.counted(round);
              return round;
            },
            plan.window(),
            plan.interval(),
            plan.failureLimit());
    long inconclusive = rounds.stream().filter(r -> r.verdict() == Verdict.INCONCLUSIVE).count();
    boolean undecided = inconclusive > plan.inconclusiveLimit();
    String last =
        rounds.isEmpty() ? "" : "; last round: " + rounds.get(rounds.size() - 1).summary();
    progress.window(
        (undecided ? "INCONCLUSIVE" : "PASS")
            + " at "
            + share
            + " % ("
            + report.summary()
            + last
            + ")");
    runbook.brief(shiftTraffic, progress.summary());
    if (undecided && !inconclusiveFails) {
      runbook.gate(decideInconclusive);
    }
  }
}
