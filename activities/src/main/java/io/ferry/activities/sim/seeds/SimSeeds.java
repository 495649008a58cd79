package io.ferry.activities.sim.seeds;

import io.ferry.activities.sim.SimSeed;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Every roadmap's simulated world: one line per roadmap in {@code io.ferry.roadmap.Roadmaps}. */
public final class SimSeeds {

  public static final List<SimSeed<?>> ALL =
      List.of(
          new WeaviateFirstSeed(),
          new AppPlatformSeed(),
          new K3sSeed(),
          new StandardNodeSeed(),
          new DoTransitionSeed());

  private SimSeeds() {}

  public static Optional<SimSeed<?>> forRoadmap(String roadmap) {
    return ALL.stream().filter(s -> s.roadmap().equals(roadmap)).findFirst();
  }

  /** The roadmap's seed, or an error naming the roadmaps that have one. */
  public static SimSeed<?> require(String roadmap) {
    return forRoadmap(roadmap)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no simulated world for roadmap '"
                        + roadmap
                        + "'; seeds exist for "
                        + ALL.stream().map(SimSeed::roadmap).collect(Collectors.joining(", "))));
  }
}
