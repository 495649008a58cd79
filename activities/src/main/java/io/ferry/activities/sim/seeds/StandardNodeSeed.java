package io.ferry.activities.sim.seeds;

import io.ferry.activities.sim.SimKnob;
import io.ferry.activities.sim.SimSeed;
import io.ferry.activities.sim.SimWorld;
import io.ferry.roadmap.standardnode.StandardNodePlan;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The world a standard-node plan expects: the node running the old services on their ports, the
 * crontab with the entries the plan names, the existing primary ready for replication. Knobs set
 * the replicas' lag and the new backend's answers.
 */
public final class StandardNodeSeed implements SimSeed<StandardNodePlan> {

  private static final List<SimKnob<StandardNodePlan>> KNOBS =
      List.of(
          SimKnob.duration(
              "replica-lag",
              "every replica's replay lag; over replication.maxLag, verify-streaming holds the"
                  + " cutover (the lag per replica in the status) and, after"
                  + " replication.lagTimeout, everything rolls back",
              (world, plan, lag) -> world.setReplicationLag(lag)),
          SimKnob.httpStatus(
              "new-backend-status",
              "the status the new backend (edge.newBackend) answers the analysis probes"
                  + " (edge.probePath) with; a failing one fails the first analysis window: all"
                  + " traffic back to the old backend and everything rolls back",
              (world, plan, status) -> world.setHttpStatus(newBackendUrl(plan), status)));

  @Override
  public String roadmap() {
    return StandardNodePlan.ROADMAP;
  }

  @Override
  public Class<StandardNodePlan> planType() {
    return StandardNodePlan.class;
  }

  @Override
  public List<SimKnob<StandardNodePlan>> knobs() {
    return KNOBS;
  }

  @Override
  public void seed(SimWorld world, StandardNodePlan plan) {
    if (plan.node() == null || plan.node().host() == null) {
      return;
    }
    for (StandardNodePlan.Service old : plan.oldServices()) {
      if (old != null && old.port() != null) {
        world.seedListener(plan.node(), old.unit(), old.port());
      }
    }
    world.seedListener(plan.node(), "ssh", plan.node().port());
    if (plan.cron() != null && plan.cron().entries() != null) {
      String table =
          "# m h dom mon dow command\nMAILTO=ops@example.com\n"
              + plan.cron().entries().stream()
                  .map(e -> "15 3 * * * /opt/aurora/bin/" + e.replace("/", "_") + " --quiet\n")
                  .collect(Collectors.joining())
              + "*/30 * * * * /opt/aurora/bin/rotate-logs.sh\n";
      world.seedCrontab(plan.node(), plan.cron().user(), table);
    }
    if (plan.primary() != null && plan.primary().host() != null) {
      world.seedReplicationPrimary(plan.primary(), "replica", 10, 10);
    }
  }

  private static String newBackendUrl(StandardNodePlan plan) {
    if (plan.edge() == null || plan.edge().newBackend() == null || plan.node() == null) {
      throw new IllegalArgumentException("the plan names no edge.newBackend");
    }
    StandardNodePlan.Service s =
        plan.newServices().stream()
            .filter(x -> x != null && plan.edge().newBackend().equals(x.name()))
            .findFirst()
            .orElseThrow(
                () -> new IllegalArgumentException("edge.newBackend is not in newServices"));
    String path = plan.edge().probePath() != null ? plan.edge().probePath() : s.health();
    return "http://" + plan.node().host() + ":" + s.port() + (path == null ? "/" : path);
  }
}
