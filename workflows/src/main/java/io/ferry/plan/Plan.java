package io.ferry.plan;

import java.util.Map;
import java.util.regex.Pattern;

/** What every roadmap's plan has: which roadmap, which target, and the runbook policies. */
public interface Plan extends Checked {

  Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?");

  String roadmap();

  /** The target's name; with the roadmap it makes the workflow id, one migration per target. */
  String name();

  FailurePolicy failurePolicy();

  Map<String, GatePolicy> gates();

  default String workflowId() {
    return roadmap() + "-" + name();
  }

  /**
   * The plan's approval defaults. A plan record gets the {@code approvals} section by declaring a
   * component of that name; one that does not keeps the defaults.
   */
  default Approvals approvals() {
    return Approvals.DEFAULTS;
  }

  /**
   * Where the migration's events are posted, or null to send none (the migration then issues no
   * notification commands at all). A plan record gets the section with a component of that name.
   */
  default Notifications notifications() {
    return null;
  }

  default GatePolicy gate(String id) {
    GatePolicy policy = gates() == null ? null : gates().get(id);
    return policy == null ? GatePolicy.WAIT_FOREVER : policy;
  }

  /** The checks every plan shares; roadmaps call this first from their own {@link #check}. */
  default void checkCommon(
      PlanChecks checks, String expectedRoadmap, java.util.Set<String> gateIds) {
    if (checks.required("roadmap", roadmap()) && !expectedRoadmap.equals(roadmap())) {
      checks.problem("roadmap", "is '" + roadmap() + "' but this plan is for " + expectedRoadmap);
    }
    if (checks.required("name", name())) {
      checks.matches(
          "name", name(), NAME, "1-40 lowercase letters, digits and '-' (it names the workflow)");
    }
    checks.optional("approvals", approvals());
    checks.optional("notifications", notifications());
    if (gates() != null) {
      gates()
          .forEach(
              (id, policy) -> {
                if (!gateIds.contains(id)) {
                  checks.problem(
                      "gates." + id,
                      "is not a gate of "
                          + expectedRoadmap
                          + "; its gates are "
                          + String.join(", ", gateIds));
                } else if (policy != null) {
                  policy.check(checks.at("gates." + id));
                }
              });
    }
  }
}
