package io.ferry.roadmap.common;

import io.ferry.plan.Checked;
import io.ferry.plan.PlanChecks;
import java.time.Duration;
import java.util.List;

/**
 * The plan's {@code shift:} part: the new backend's share of traffic step by step, and the analysis
 * window after each step that decides whether to go on (as Argo Rollouts' analysis runs: each round
 * of probes passes, fails or is inconclusive; more failed rounds than {@code failureLimit} fail the
 * window, more inconclusive ones than {@code inconclusiveLimit} make it inconclusive).
 *
 * @param steps the new backend's share after each step, increasing, ending at 100 (default 10, 25,
 *     50, 100)
 * @param window how long each analysis window lasts (default 5m)
 * @param interval time between probe rounds in a window (default 1m)
 * @param requests probe requests per URL per round (default 20)
 * @param minSuccessRate share of probe answers with a 2xx/3xx status, 0 to 1 (default 0.99)
 * @param maxP95 slowest 5 % of probe answers may take at most this (default 500ms)
 * @param maxReplicationLag the replicas' replay lag limit, when the roadmap measures one (default
 *     10s)
 * @param failureLimit failed rounds a window tolerates (default 0)
 * @param inconclusiveLimit inconclusive rounds a window tolerates before it is inconclusive
 *     (default 1)
 * @param inconclusive what an inconclusive window does: {@code ask} (a gate: approve goes on,
 *     reject rolls back) or {@code rollback} (inconclusive rounds count as failed)
 * @param failedRequestBudget failed requests to the public URLs allowed through the whole shift
 *     (default 0: zero downtime); counts only where the roadmap names public URLs
 */
public record ShiftPlan(
    List<Integer> steps,
    Duration window,
    Duration interval,
    Integer requests,
    Double minSuccessRate,
    Duration maxP95,
    Duration maxReplicationLag,
    Integer failureLimit,
    Integer inconclusiveLimit,
    String inconclusive,
    Integer failedRequestBudget)
    implements Checked {

  public static final List<String> INCONCLUSIVE_POLICIES = List.of("ask", "rollback");

  public ShiftPlan {
    steps = steps == null ? List.of(10, 25, 50, 100) : List.copyOf(steps);
    window = window == null ? Duration.ofMinutes(5) : window;
    interval = interval == null ? Duration.ofMinutes(1) : interval;
    requests = requests == null ? 20 : requests;
    minSuccessRate = minSuccessRate == null ? 0.99 : minSuccessRate;
    maxP95 = maxP95 == null ? Duration.ofMillis(500) : maxP95;
    maxReplicationLag = maxReplicationLag == null ? Duration.ofSeconds(10) : maxReplicationLag;
    failureLimit = failureLimit == null ? 0 : failureLimit;
    inconclusiveLimit = inconclusiveLimit == null ? 1 : inconclusiveLimit;
    inconclusive = inconclusive == null ? "ask" : inconclusive;
    failedRequestBudget = failedRequestBudget == null ? 0 : failedRequestBudget;
  }

  /** The plan's defaults, for a plan that leaves the whole part out. */
  public static ShiftPlan defaults() {
    return new ShiftPlan(null, null, null, null, null, null, null, null, null, null, null);
  }

  @Override
  public void check(PlanChecks c) {
    if (steps.isEmpty()) {
      c.problem("steps", "must name at least one share, ending at 100");
    }
    int previous = 0;
    for (int i = 0; i < steps.size(); i++) {
      Integer step = steps.get(i);
      if (step == null || step < 1 || step > 100) {
        c.problem("steps[" + i + "]", "must be a share from 1 to 100, was " + step);
        return;
      }
      if (step <= previous) {
        c.problem("steps[" + i + "]", "must be larger than the step before (" + previous + ")");
      }
      previous = step;
    }
    if (previous != 100) {
      c.problem(
          "steps", "must end at 100 so the new backend takes all traffic, ends at " + previous);
    }
    c.positive("window", window);
    c.atMost("window", window, Duration.ofDays(1));
    c.positive("interval", interval);
    if (interval.compareTo(window) > 0) {
      c.problem("interval", "is longer than the window (" + window + "): no round would run twice");
    }
    c.range("requests", requests, 1, 1000);
    c.range("minSuccessRate", minSuccessRate, 0, 1);
    c.positive("maxP95", maxP95);
    c.positive("maxReplicationLag", maxReplicationLag);
    c.range("failureLimit", failureLimit, 0, 1000);
    c.range("inconclusiveLimit", inconclusiveLimit, 0, 1000);
    c.oneOf("inconclusive", inconclusive, INCONCLUSIVE_POLICIES);
    c.range("failedRequestBudget", failedRequestBudget, 0, 1_000_000);
  }
}
