package io.ferry.activities.sim.seeds;

import io.ferry.activities.edge.NginxSite;
import io.ferry.activities.sim.SimKnob;
import io.ferry.activities.sim.SimSeed;
import io.ferry.activities.sim.SimWorld;
import io.ferry.roadmap.k3s.K3sEdgePlan;
import io.ferry.roadmap.k3s.K3sPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The world a k3s plan expects: the deployment repository with its compose files, deploy scripts
 * and obsolete leftovers; bare hosts for the cluster (GPU where the plan says); the Swarm manager
 * running the stacks; the edge with all traffic on Swarm; a probe target whose K3s side answers.
 */
public final class K3sSeed implements SimSeed<K3sPlan> {

  private static final String SHARE_FORM = "a share (0.05 or 5%)";
  private static final String RATE_FORM = SHARE_FORM + ", or 0.05@25: from 25 % on";

  private static final List<SimKnob<K3sPlan>> KNOBS =
      List.of(
          new SimKnob<>(
              "error-rate",
              "share of requests the K3s stack fails (under load: @PERCENT); above 1 -"
                  + " shift.minSuccessRate that step's analysis fails, all traffic goes"
                  + " back to Swarm and the run rolls back",
              RATE_FORM,
              "0.05@25",
              (world, plan, value) -> {
                String v = value == null ? "" : value.trim();
                int at = v.indexOf('@');
                world
                    .k3s()
                    .errorRate(
                        rate("error-rate", RATE_FORM, at < 0 ? v : v.substring(0, at)),
                        from(v, at));
              }),
          new SimKnob<>(
              "swarm-error-rate",
              "share of requests the Swarm stack fails as well (both stacks missing the"
                  + " thresholds: the analysis cannot blame K3s, so the window is inconclusive"
                  + " and decide-inconclusive-analysis asks the operator)",
              SHARE_FORM,
              "0.05",
              (world, plan, value) ->
                  world.k3s().swarmErrorRate(rate("swarm-error-rate", SHARE_FORM, value))),
          new SimKnob<>(
              "rollout-fail",
              "a release (deploy.services[].release) whose pods crash-loop: its rollout times out"
                  + " with the pod's reason and events, and the run rolls back",
              "a release name from the plan",
              "backend",
              (world, plan, value) -> world.k3s().failRollout(release(plan, value))),
          new SimKnob<>(
              "node-not-ready",
              "a node (cluster.nodes[].name) that joins but never becomes Ready",
              "a node name from the plan",
              "sophia-mcp-orchestrator",
              (world, plan, value) -> world.k3s().neverReady(node(plan, value))));

  @Override
  public String roadmap() {
    return K3sPlan.ROADMAP;
  }

  @Override
  public Class<K3sPlan> planType() {
    return K3sPlan.class;
  }

  @Override
  public List<SimKnob<K3sPlan>> knobs() {
    return KNOBS;
  }

  @Override
  public void seed(SimWorld world, K3sPlan p) {
    if (p.repository() != null && p.repository().host() != null) {
      world.k3s().seedRepository(p.repository().host(), p.repository().path(), repositoryFiles());
    }
    if (p.cluster() != null) {
      p.cluster().all().stream()
          .filter(n -> n != null && n.gpu() && n.ssh() != null)
          .forEach(n -> world.k3s().seedGpuHost(n.ssh()));
      if (p.cluster().installer() != null && p.cluster().installer().uploadFrom() != null) {
        world.seedWorkerFile(
            p.cluster().installer().uploadFrom(), "#!/bin/sh\n# K3s installer (get.k3s.io)\n");
      }
      if (p.cluster().devicePlugin() != null) {
        world.seedWorkerFile(p.cluster().devicePlugin(), DEVICE_PLUGIN);
      }
    }
    if (p.swarm() != null && p.swarm().manager() != null) {
      world.k3s().seedSwarm(p.swarm().manager(), p.swarm().stacks());
    }
    K3sEdgePlan e = p.edge();
    if (e != null && e.host() != null) {
      world.k3s().seedEdge(e.edgeHost(), NginxSite.render(e.site(p.name()), false, 0));
      Map<String, String> health = new LinkedHashMap<>();
      if (p.deploy() != null) {
        p.deploy().services().forEach(svc -> health.put(svc.health(), svc.release()));
      }
      world
          .k3s()
          .seedProbes(
              e.swarmUrl(), e.k3sUrl(), e.publicUrl(), e.edgeHost(), e.k3sBackend(), health);
    }
  }

  /** A repository as the seed describes it: cluttered, with compose files and deploy scripts. */
  private static List<String> repositoryFiles() {
    List<String> files =
        new ArrayList<>(
            List.of(
                "docker-compose.yml",
                "docker-compose.prod.yml",
                "docker-compose.mcp.yml",
                "scripts/deploy_backend.sh",
                "scripts/deploy_lambda_labs.py",
                "scripts/utils/repository_audit.py",
                "backend/services/unified_memory_service.py",
                "backend/services/rag_pipeline.py",
                "backend/app.py.backup",
                "config.old",
                "docs/MEMORY_ECOSYSTEM_STATUS.md",
                "docs/deploy_deprecated.md",
                "kubernetes/helm/sophia-platform/Chart.yaml",
                "README.md"));
    for (int i = 1; i <= 60; i++) {
      files.add(String.format("REPORT_%02d.md", i));
    }
    return files;
  }

  private static double rate(String knob, String form, String value) {
    String v = value == null ? "" : value.trim();
    try {
      double rate =
          v.endsWith("%")
              ? Double.parseDouble(v.substring(0, v.length() - 1)) / 100
              : Double.parseDouble(v);
      if (rate >= 0 && rate <= 1) {
        return rate;
      }
    } catch (NumberFormatException e) {
      // said below, with the knob's name
    }
    throw new IllegalArgumentException("sim knob " + knob + ": '" + value + "' is not " + form);
  }

  private static int from(String value, int at) {
    if (at < 0) {
      return 0;
    }
    try {
      int percent = Integer.parseInt(value.substring(at + 1).replace("%", "").trim());
      if (percent >= 0 && percent <= 100) {
        return percent;
      }
    } catch (NumberFormatException e) {
      // said below, with the knob's name
    }
    throw new IllegalArgumentException("sim knob error-rate: '" + value + "' is not " + RATE_FORM);
  }

  private static String release(K3sPlan plan, String value) {
    List<String> releases =
        plan.deploy() == null
            ? List.of()
            : plan.deploy().services().stream().map(K3sPlan.Service::release).toList();
    if (!releases.contains(value)) {
      throw new IllegalArgumentException(
          "sim knob rollout-fail: '" + value + "' is not one of the plan's releases " + releases);
    }
    return value;
  }

  private static String node(K3sPlan plan, String value) {
    List<String> nodes =
        plan.cluster() == null
            ? List.of()
            : plan.cluster().all().stream().map(K3sPlan.Node::name).toList();
    if (!nodes.contains(value)) {
      throw new IllegalArgumentException(
          "sim knob node-not-ready: '" + value + "' is not one of the plan's nodes " + nodes);
    }
    return value;
  }

  private static final String DEVICE_PLUGIN =
      "apiVersion: apps/v1\n"
          + "kind: DaemonSet\n"
          + "metadata:\n"
          + "  name: nvidia-device-plugin-daemonset\n"
          + "  namespace: kube-system\n"
          + "spec:\n"
          + "  selector:\n"
          + "    matchLabels:\n"
          + "      name: nvidia-device-plugin-ds\n"
          + "  template:\n"
          + "    metadata:\n"
          + "      labels:\n"
          + "        name: nvidia-device-plugin-ds\n"
          + "    spec:\n"
          + "      containers:\n"
          + "      - image: nvcr.io/nvidia/k8s-device-plugin:v0.14.0\n"
          + "        name: nvidia-device-plugin-ctr\n";
}
