package io.ferry.roadmap.appplatform;

import io.ferry.roadmap.Roadmap;

/** The app-platform roadmap, as the registry and the tools see it. */
public final class AppPlatformRoadmap {

  public static final Roadmap ROADMAP =
      new Roadmap(
          AppPlatformPlan.ROADMAP,
          "App on a droplet to DigitalOcean App Platform through the container registry",
          "002-app-platform.md",
          AppPlatformWorkflow.class,
          AppPlatformWorkflowImpl.class,
          AppPlatformPlan.class,
          AppPlatformSteps.ALL,
          "/plans/app-platform.example.yaml");

  private AppPlatformRoadmap() {}
}
