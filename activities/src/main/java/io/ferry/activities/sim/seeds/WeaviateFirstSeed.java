package io.ferry.activities.sim.seeds;

import io.ferry.activities.sim.SimKnob;
import io.ferry.activities.sim.SimSeed;
import io.ferry.activities.sim.SimWorld;
import io.ferry.roadmap.weaviatefirst.WeaviateFirstPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The world a weaviate-first plan expects: the app node with its config file and service, the
 * PostgreSQL server, the memory store with sample items (a few malformed) and the DNS records.
 */
public final class WeaviateFirstSeed implements SimSeed<WeaviateFirstPlan> {

  private static final String DEFAULT_STORE_URL = "redis://10.120.0.9:6379/0";

  private static final List<SimKnob<WeaviateFirstPlan>> KNOBS =
      List.of(
          SimKnob.duration(
              "chat-latency",
              "p95 of the chat endpoint (probes.chatUrl); above limits.microCacheAbove the"
                  + " micro-cache steps run",
              (world, plan, p95) -> world.setHttpLatency(probes(plan).chatUrl(), p95)),
          SimKnob.duration(
              "nl-query-latency",
              "p95 of the admin UI's query endpoint (probes.nlQueryUrl); above limits.nlQuery its"
                  + " check fails and the migration rolls back",
              (world, plan, p95) -> world.setHttpLatency(probes(plan).nlQueryUrl(), p95)));

  @Override
  public String roadmap() {
    return WeaviateFirstPlan.ROADMAP;
  }

  @Override
  public Class<WeaviateFirstPlan> planType() {
    return WeaviateFirstPlan.class;
  }

  @Override
  public List<SimKnob<WeaviateFirstPlan>> knobs() {
    return KNOBS;
  }

  @Override
  public void seed(SimWorld world, WeaviateFirstPlan p) {
    String storeUrl = p.memoryStore() == null ? null : p.memoryStore().source().url();
    if (p.appNode() != null && p.app() != null) {
      world.seedAppNode(
          p.appNode().host(),
          p.app().configFile(),
          SimWorld.defaultAppConfig(
              storeUrl == null ? DEFAULT_STORE_URL : storeUrl,
              p.postgres() == null ? p.appNode().host() : p.postgres().host()),
          p.app().service());
    }
    if (p.postgres() != null) {
      world.seedPostgres(p.postgres());
    }
    if (storeUrl != null) {
      world.seedMemoryStore(
          storeUrl,
          p.memoryStore().structured().stream()
              .map(t -> new SimWorld.StructuredKeys(t.pattern(), t.columns()))
              .toList(),
          SimWorld.memoryItemsWithin(p.memoryStore().maxMalformedShare()));
    }
    if (p.dns() != null && p.dns().domain() != null) {
      List<String[]> names = new ArrayList<>();
      p.dns().records().forEach(r -> names.add(new String[] {r.name(), r.type()}));
      world.seedDns(p.dns().domain(), names);
    }
    if (p.backupStore() != null && p.backupStore().bucket() != null) {
      world.seedBucket(p.backupStore().bucket());
    }
  }

  private static WeaviateFirstPlan.Probes probes(WeaviateFirstPlan plan) {
    if (plan.probes() == null) {
      throw new IllegalArgumentException("the plan has no probes to slow down");
    }
    return plan.probes();
  }
}
