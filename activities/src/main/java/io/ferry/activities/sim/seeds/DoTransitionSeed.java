package io.ferry.activities.sim.seeds;

import io.ferry.activities.sim.SimKnob;
import io.ferry.activities.sim.SimSeed;
import io.ferry.activities.sim.SimWorld;
import io.ferry.roadmap.dotransition.DoTransitionPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The world a do-transition plan expects: the source VM with its checkout (venv and .git included,
 * which the sync leaves out) and services, the vector node running Weaviate, the app node with
 * PostgreSQL's role, the memory store with sample items, the node exporter tarball on the worker
 * and the archive bucket. Its knobs push a node exporter metric over its threshold for the soak.
 */
public final class DoTransitionSeed implements SimSeed<DoTransitionPlan> {

  private static final String DEFAULT_STORE_URL = "redis://10.120.0.9:6379/0";

  private static final List<SimKnob<DoTransitionPlan>> KNOBS =
      List.of(
          percent("node-cpu", "cpu", "watch.cpuPercent"),
          percent("node-memory", "memory", "watch.memoryPercent"),
          percent("node-disk", "disk", "watch.diskPercent"),
          SimKnob.duration(
              "api-latency",
              "answer time of the API (app.healthPath); above watch.apiLatency each soak sample is"
                  + " a breach",
              (world, plan, latency) ->
                  world.setHttpLatency(
                      "http://" + appHost(world, plan) + ":" + plan.app().port(), latency)));

  @Override
  public String roadmap() {
    return DoTransitionPlan.ROADMAP;
  }

  @Override
  public Class<DoTransitionPlan> planType() {
    return DoTransitionPlan.class;
  }

  @Override
  public List<SimKnob<DoTransitionPlan>> knobs() {
    return KNOBS;
  }

  @Override
  public void seed(SimWorld world, DoTransitionPlan p) {
    if (p.source() != null && p.source().ssh() != null && p.source().ssh().host() != null) {
      String source = p.source().ssh().host();
      if (p.source().checkoutDir() != null) {
        world.seedTree(source, p.source().checkoutDir(), checkout(p));
      }
      p.source().services().forEach(s -> world.seedService(source, s));
    }
    String vectorHost = seedNode(world, p.vectorNode(), "vector", 1, "68.183.170.81");
    if (vectorHost != null) {
      world.seedComposeProject(
          vectorHost,
          "/opt/weaviate",
          "weaviate",
          "cr.weaviate.io/semitechnologies/weaviate:1.30.0");
    }
    String appHost = seedNode(world, p.appNode(), "app", 2, "159.65.79.26");
    if (appHost != null && p.app() != null && p.app().name() != null) {
      // an earlier hand-made attempt left an .env pointing at the public addresses
      world.seedTree(
          appHost,
          p.app().directory(),
          Map.of(
              ".env",
              "WEAVIATE_ENDPOINT=http://68.183.170.81:8080\nPYTHONPATH="
                  + p.app().directory()
                  + "\n"));
    }
    if (p.postgres() != null && p.postgres().host() != null && p.postgres().database() != null) {
      world.seedPostgres(p.postgres());
      world.seedDatabase(p.postgres(), p.postgres().database(), null);
    }
    if (appHost != null && p.postgres() != null && p.postgres().user() != null) {
      world.seedPsqlRole(
          appHost,
          p.postgres().user(),
          List.of("postgres", p.postgres().database(), "template0", "template1"));
    }
    if (p.memoryStore() != null && p.memoryStore().source() != null) {
      String url = p.memoryStore().source().url();
      world.seedMemoryStore(
          url == null ? DEFAULT_STORE_URL : url,
          List.of(),
          SimWorld.memoryItemsWithin(p.memoryStore().maxMalformedShare()));
    }
    if (p.nodeExporter() != null && p.nodeExporter().tarball() != null) {
      world.seedWorkerFile(p.nodeExporter().tarball(), "node_exporter release tarball\n");
    }
    if (p.archive() != null && p.archive().bucket() != null) {
      world.seedBucket(p.archive().bucket());
    }
  }

  /** An adopted droplet (by id or tag): seeded running; returns the address SSH reaches. */
  private static String seedNode(
      SimWorld world, DoTransitionPlan.Node node, String role, long offset, String publicIp) {
    if (node == null || node.creates()) {
      return null;
    }
    long id = node.dropletId() != null ? node.dropletId() : 7000 + offset;
    String name = node.tag() != null ? node.tag() : "do-" + role;
    world.seedDroplet(id, name, publicIp, node.tag());
    if (node.ssh() != null && node.ssh().host() != null) {
      return node.ssh().host();
    }
    return world.privateIpOf(id);
  }

  private static String appHost(SimWorld world, DoTransitionPlan plan) {
    DoTransitionPlan.Node node = plan.appNode();
    if (node.ssh() != null && node.ssh().host() != null) {
      return node.ssh().host();
    }
    return world.privateIpOf(node.dropletId() != null ? node.dropletId() : 7002);
  }

  /** The developer's checkout: code, the requirements, and what the sync must leave behind. */
  private static Map<String, String> checkout(DoTransitionPlan p) {
    String requirements =
        p.app() == null || p.app().requirements() == null
            ? "requirements/base.txt"
            : p.app().requirements();
    Map<String, String> files = new LinkedHashMap<>();
    files.put("core/__init__.py", "");
    files.put("core/api/__init__.py", "");
    files.put(
        "core/api/main.py",
        "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get('/health')\ndef health():\n"
            + "    return {'ok': True}\n");
    files.put("mcp_server/server.py", "print('mcp')\n");
    files.put(requirements, "fastapi==0.115.0\nuvicorn==0.30.6\nweaviate-client==4.9.0\n");
    files.put("README.md", "# the app\n");
    files.put("venv/bin/python", "#!/bin/sh\n");
    files.put(".git/HEAD", "ref: refs/heads/main\n");
    p.source().excludes().forEach(e -> files.put(e + "/left-out.txt", "not synced\n"));
    return files;
  }

  private static SimKnob<DoTransitionPlan> percent(String name, String metric, String limit) {
    return new SimKnob<>(
        name,
        "node exporter's "
            + metric
            + " use on every node, in percent; above "
            + limit
            + " each soak sample is a breach",
        "a percentage from 0 to 100, such as 93",
        "93",
        (world, plan, value) -> world.setNodeMetric(metric, parsePercent(name, value)));
  }

  private static double parsePercent(String knob, String value) {
    try {
      double v = Double.parseDouble(value == null ? "" : value.trim().replace("%", ""));
      if (v >= 0 && v <= 100) {
        return v;
      }
    } catch (NumberFormatException e) {
      // said below, with the knob's name
    }
    throw new IllegalArgumentException(
        "sim knob " + knob + ": '" + value + "' is not a percentage from 0 to 100, such as 93");
  }
}
