package io.ferry.roadmap;

import io.ferry.roadmap.appplatform.AppPlatformRoadmap;
import io.ferry.roadmap.dotransition.DoTransitionRoadmap;
import io.ferry.roadmap.k3s.K3sRoadmap;
import io.ferry.roadmap.standardnode.StandardNodeRoadmap;
import io.ferry.roadmap.weaviatefirst.WeaviateFirstRoadmap;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every roadmap Ferry can run, one line each. A roadmap registered here is registered on every
 * worker, listed by the CLI and held to the reliability harness's bar.
 */
public final class Roadmaps {

  private static final List<Roadmap> ALL =
      List.of(
          WeaviateFirstRoadmap.ROADMAP,
          AppPlatformRoadmap.ROADMAP,
          K3sRoadmap.ROADMAP,
          StandardNodeRoadmap.ROADMAP,
          DoTransitionRoadmap.ROADMAP);

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
