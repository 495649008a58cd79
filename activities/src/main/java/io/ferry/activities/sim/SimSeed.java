package io.ferry.activities.sim;

import io.ferry.plan.Plan;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One roadmap's simulated world: what its plans expect to find before the migration starts, and the
 * knobs a rehearsal may turn. Each roadmap has one, listed in {@code
 * io.ferry.activities.sim.seeds.SimSeeds}.
 *
 * @param <P> the roadmap's plan type
 */
public interface SimSeed<P extends Plan> {

  /** The roadmap served, as in {@link Plan#roadmap()}. */
  String roadmap();

  Class<P> planType();

  /** Creates what the plan refers to and expects to find. Idempotent. */
  void seed(SimWorld world, P plan);

  /** The conditions a rehearsal may set, in the order help lists them. */
  List<SimKnob<P>> knobs();

  default Optional<SimKnob<P>> knob(String name) {
    return knobs().stream().filter(k -> k.name().equals(name)).findFirst();
  }

  /** Seeds a plan of this seed's roadmap. */
  default void seedPlan(SimWorld world, Plan plan) {
    seed(world, planType().cast(plan));
  }

  /** Turns a knob by name; an unknown name fails listing this roadmap's knobs. */
  default void turn(SimWorld world, Plan plan, String knob, String value) {
    knob(knob)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown sim knob '"
                        + knob
                        + "' for "
                        + roadmap()
                        + "; "
                        + (knobs().isEmpty()
                            ? "it has none"
                            : "its knobs are "
                                + knobs().stream()
                                    .map(SimKnob::name)
                                    .collect(Collectors.joining(", ")))))
        .turn(world, planType().cast(plan), value);
  }
}
