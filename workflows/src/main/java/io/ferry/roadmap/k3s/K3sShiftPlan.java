package io.ferry.roadmap.k3s;

import io.ferry.plan.Checked;
import io.ferry.plan.PlanChecks;
import io.ferry.plan.SshTarget;
import java.time.Duration;
import java.util.List;

/**
 * The weighted traffic shift at the edge that fronts both stacks, its analysis windows and the
 * zero-downtime budget.
 *
 * @param kind the edge: {@code nginx} (a weighted upstream); see {@link #check} for Traefik
 * @param steps percentages of traffic on K3s, rising, ending at 100
 * @param failedRequestBudget failed public requests allowed through the whole shift
 */
public record K3sShiftPlan(
    String kind,
    SshTarget edge,
    String configFile,
    String upstream,
    String swarmBackend,
    String k3sBackend,
    List<Integer> steps,
    Analysis analysis,
    Integer failedRequestBudget)
    implements Checked {

  private static final java.util.regex.Pattern BACKEND =
      java.util.regex.Pattern.compile("[A-Za-z0-9.-]+:\\d{1,5}");
  private static final java.util.regex.Pattern UPSTREAM =
      java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  public K3sShiftPlan {
    kind = kind == null ? "nginx" : kind;
    steps = steps == null ? List.of(10, 25, 50, 100) : List.copyOf(steps);
    analysis =
        analysis == null ? new Analysis(null, null, null, null, null, null, null, null) : analysis;
    failedRequestBudget = failedRequestBudget == null ? 0 : failedRequestBudget;
  }

  @Override
  public void check(PlanChecks c) {
    if ("traefik".equals(kind)) {
      c.problem(
          "kind",
          "traefik is not offered: K3s is installed with --disable traefik, and an edge inside"
              + " the cluster could not send traffic back to Swarm nor outlive the cluster's"
              + " uninstall on rollback; name the nginx edge that fronts both stacks");
    } else {
      c.oneOf("kind", kind, List.of("nginx"));
    }
    if (c.required("edge", edge)) {
      c.nested("edge", edge);
    }
    if (c.required("configFile", configFile)) {
      c.absolutePath("configFile", configFile);
    }
    if (c.required("upstream", upstream)) {
      c.matches("upstream", upstream, UPSTREAM, "an nginx upstream name (letters, digits, _)");
    }
    if (c.required("swarmBackend", swarmBackend)) {
      c.matches("swarmBackend", swarmBackend, BACKEND, "host:port");
    }
    if (c.required("k3sBackend", k3sBackend)) {
      c.matches("k3sBackend", k3sBackend, BACKEND, "host:port");
    }
    int last = 0;
    for (int i = 0; i < steps.size(); i++) {
      Integer s = steps.get(i);
      if (s == null || s <= last || s > 100) {
        c.problem(
            "steps[" + i + "]",
            "must rise from above 0 to at most 100, was " + s + " after " + last);
      } else {
        last = s;
      }
    }
    if (steps.isEmpty()
        || steps.get(steps.size() - 1) == null
        || steps.get(steps.size() - 1) != 100) {
      c.problem("steps", "must end at 100, so all traffic reaches K3s; was " + steps);
    }
    c.nested("analysis", analysis);
    c.range("failedRequestBudget", failedRequestBudget, 0, 1_000_000);
  }

  /**
   * One analysis window after each step, as Argo Rollouts' analysis runs: pass, fail, or
   * inconclusive when fewer than {@code minSamples} probes answered.
   *
   * @param publicUrl through the edge: the zero-downtime probe loop
   * @param swarmUrl the Swarm stack directly
   * @param k3sUrl the K3s stack directly
   */
  public record Analysis(
      String publicUrl,
      String swarmUrl,
      String k3sUrl,
      Duration window,
      Duration interval,
      Double minSuccessRate,
      Duration maxP95,
      Integer minSamples)
      implements Checked {

    public Analysis {
      window = window == null ? Duration.ofMinutes(5) : window;
      interval = interval == null ? Duration.ofSeconds(10) : interval;
      minSuccessRate = minSuccessRate == null ? 0.99 : minSuccessRate;
      maxP95 = maxP95 == null ? Duration.ofMillis(500) : maxP95;
      minSamples = minSamples == null ? 10 : minSamples;
    }

    @Override
    public void check(PlanChecks c) {
      url(c, "publicUrl", publicUrl);
      url(c, "swarmUrl", swarmUrl);
      url(c, "k3sUrl", k3sUrl);
      c.positive("window", window);
      c.positive("interval", interval);
      if (window != null && interval != null && interval.compareTo(window) > 0) {
        c.problem("interval", "is longer than the window; the window would hold no probe");
      }
      c.range("minSuccessRate", minSuccessRate, 0, 1);
      c.positive("maxP95", maxP95);
      c.range("minSamples", minSamples, 1, 100_000);
    }

    private static void url(PlanChecks c, String field, String value) {
      if (c.required(field, value)) {
        c.matches(field, value, K3sPlan.URL, "an http(s):// URL of a host, port and path");
      }
    }
  }
}
