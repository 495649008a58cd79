package io.ferry.roadmap.dotransition;

import io.ferry.roadmap.Roadmap;

/** The do-transition roadmap, as the registry and the tools see it. */
public final class DoTransitionRoadmap {

  public static final Roadmap ROADMAP =
      new Roadmap(
          DoTransitionPlan.ROADMAP,
          "Development VM to the two-node DigitalOcean setup, source kept until day 14",
          "000-paperspace-to-digitalocean.md",
          DoTransitionWorkflow.class,
          DoTransitionWorkflowImpl.class,
          DoTransitionPlan.class,
          DoTransitionSteps.ALL,
          "/plans/do-transition.example.yaml");

  private DoTransitionRoadmap() {}
}
