package io.ferry.roadmap.k3s;

import io.ferry.roadmap.Roadmap;

/** The k3s roadmap, as the registry and the tools see it. */
public final class K3sRoadmap {

  public static final Roadmap ROADMAP =
      new Roadmap(
          K3sPlan.ROADMAP,
          "Docker Swarm to a K3s cluster with Helm and a weighted, analysed traffic shift",
          "003-k3s-gitops.md",
          K3sWorkflow.class,
          K3sWorkflowImpl.class,
          K3sPlan.class,
          K3sSteps.ALL,
          "/plans/k3s.example.yaml");

  private K3sRoadmap() {}
}
