package io.ferry.roadmap;

import io.ferry.roadmap.appplatform.AppPlatformPlan;
import io.ferry.roadmap.appplatform.AppPlatformSteps;
import io.ferry.roadmap.appplatform.AppPlatformWorkflow;
import io.ferry.roadmap.appplatform.AppPlatformWorkflowImpl;
import io.ferry.roadmap.weaviatefirst.WeaviateFirstPlan;
import io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps;
import io.ferry.roadmap.weaviatefirst.WeaviateFirstWorkflow;
import io.ferry.roadmap.weaviatefirst.WeaviateFirstWorkflowImpl;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Every roadmap Ferry can run. A roadmap registered here is registered on every worker. */
public final class Roadmaps {

  private static final List<Roadmap> ALL =
      List.of(
          new Roadmap(
              WeaviateFirstPlan.ROADMAP,
              "Redis-protocol memory store to Weaviate + PostgreSQL",
              "001-weaviate-first.md",
              WeaviateFirstWorkflow.TYPE,
              WeaviateFirstWorkflowImpl.class,
              WeaviateFirstPlan.class,
              WeaviateFirstSteps.ALL,
              "/plans/weaviate-first.example.yaml"),
          new Roadmap(
              AppPlatformPlan.ROADMAP,
              "App on a droplet to DigitalOcean App Platform through the container registry",
              "002-app-platform.md",
              AppPlatformWorkflow.TYPE,
              AppPlatformWorkflowImpl.class,
              AppPlatformPlan.class,
              AppPlatformSteps.ALL,
              "/plans/app-platform.example.yaml"));

  private Roadmaps() {}

  public static List<Roadmap> all() {
    return ALL;
  }

  public static Optional<Roadmap> byId(String id) {
    return ALL.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /** The roadmap, or an error that lists the ones there are. */
  public static Roadmap require(String id) {
    return byId(id)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown roadmap '" + id + "'; known roadmaps: " + ids()));
  }

  public static String ids() {
    return ALL.stream().map(Roadmap::id).collect(Collectors.joining(", "));
  }

  public static Class<?>[] workflowImplementations() {
    return ALL.stream().map(Roadmap::workflowImplementation).toArray(Class<?>[]::new);
  }
}
