package io.ferry.roadmap.weaviatefirst;

import io.ferry.roadmap.Roadmap;

/** The weaviate-first roadmap, as the registry and the tools see it. */
public final class WeaviateFirstRoadmap {

  public static final Roadmap ROADMAP =
      new Roadmap(
          WeaviateFirstPlan.ROADMAP,
          "Redis-protocol memory store to Weaviate + PostgreSQL",
          "001-weaviate-first.md",
          WeaviateFirstWorkflow.class,
          WeaviateFirstWorkflowImpl.class,
          WeaviateFirstPlan.class,
          WeaviateFirstSteps.ALL,
          "/plans/weaviate-first.example.yaml");

  private WeaviateFirstRoadmap() {}
}
