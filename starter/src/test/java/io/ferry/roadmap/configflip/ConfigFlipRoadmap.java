package io.ferry.roadmap.configflip;

import io.ferry.roadmap.Roadmap;

/** The test roadmap's declaration: all a registry needs. */
public final class ConfigFlipRoadmap {

  public static final Roadmap ROADMAP =
      new Roadmap(
          ConfigFlipPlan.ROADMAP,
          "Switch an app's settings and move its DNS (a roadmap registered only in tests)",
          "none",
          ConfigFlipWorkflow.class,
          ConfigFlipWorkflowImpl.class,
          ConfigFlipPlan.class,
          ConfigFlipSteps.ALL,
          "/plans/config-flip.example.yaml");

  private ConfigFlipRoadmap() {}
}
