package io.ferry.roadmap.configflip;

import io.ferry.activities.sim.SimKnob;
import io.ferry.activities.sim.SimSeed;
import io.ferry.activities.sim.SimWorld;
import java.util.List;

/** The test roadmap's simulated world: the app node with its config and service, the domain. */
public final class ConfigFlipSeed implements SimSeed<ConfigFlipPlan> {

  @Override
  public String roadmap() {
    return ConfigFlipPlan.ROADMAP;
  }

  @Override
  public Class<ConfigFlipPlan> planType() {
    return ConfigFlipPlan.class;
  }

  @Override
  public List<SimKnob<ConfigFlipPlan>> knobs() {
    return List.of();
  }

  @Override
  public void seed(SimWorld world, ConfigFlipPlan plan) {
    world.seedAppNode(
        plan.appNode().host(),
        plan.configFile(),
        SimWorld.defaultAppConfig("redis://10.120.0.9:6379/0", plan.appNode().host()),
        plan.service());
    world.seedDns(
        plan.dns().domain(),
        plan.dns().records().stream().map(r -> new String[] {r.name(), r.type()}).toList());
  }
}
