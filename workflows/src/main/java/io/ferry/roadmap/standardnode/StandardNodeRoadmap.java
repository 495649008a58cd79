package io.ferry.roadmap.standardnode;

import io.ferry.roadmap.Roadmap;

/** The standard-node roadmap, as the registry and the tools see it. */
public final class StandardNodeRoadmap {

  public static final Roadmap ROADMAP =
      new Roadmap(
          StandardNodePlan.ROADMAP,
          "A standard node beside the old stack, streaming replicas, nginx and gradual traffic",
          "004-standard-node.md",
          StandardNodeWorkflow.class,
          StandardNodeWorkflowImpl.class,
          StandardNodePlan.class,
          StandardNodeSteps.ALL,
          "/plans/standard-node.example.yaml");

  private StandardNodeRoadmap() {}
}
