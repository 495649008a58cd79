package io.ferry.activities.sim;

import io.ferry.activities.port.HostFilesPort.HostFile;
import io.ferry.contract.EdgeActivities.EdgeHost;
import io.ferry.plan.SshTarget;
import java.util.List;
import java.util.Map;

/**
 * The part of the simulated world a Swarm-to-K3s move works on: hosts that take K3s, the cluster
 * they form with its Helm releases, the deployment repository, the Swarm manager's stacks, the edge
 * with its site and the probe target. What the K3s seed builds and its knobs turn.
 */
public final class SimK3sWorld {

  final SimK3sCluster cluster;
  final SimHelm helm;
  final SimDeployRepository repositories;
  final SimClusterSecrets secrets;
  final SimK3sProbes probes;

  private final SimWorld world;

  SimK3sWorld(SimWorld world) {
    this.world = world;
    cluster = new SimK3sCluster(world);
    helm = new SimHelm(world);
    repositories = new SimDeployRepository(world);
    secrets = new SimClusterSecrets(world);
    probes = new SimK3sProbes(world);
  }

  /** A repository holding these files (relative paths), as before the migration. */
  public void seedRepository(SshTarget host, String path, List<String> files) {
    repositories.seedRepository(host.host(), path, files);
  }

  /** A Swarm manager running these stacks. */
  public void seedSwarm(SshTarget manager, List<String> stacks) {
    repositories.seedStacks(manager.host(), stacks);
  }

  /** A host with a GPU: once the device plugin runs, its node shows nvidia.com/gpu. */
  public void seedGpuHost(SshTarget host) {
    cluster.seedGpuHost(host.host());
  }

  /**
   * The edge as it fronts Swarm before the move: nginx with {@code site} in its site file. The
   * shift rewrites that file; the probes read its weights.
   */
  public void seedEdge(EdgeHost edge, String site) {
    synchronized (world) {
      world.hosts.putFile(
          world.hosts.connect(edge.host()), edge.sitePath(), new HostFile(site, "0644"));
    }
  }

  /**
   * The probe target: each stack's URL, the public URL through the edge whose site sends {@code
   * k3sBackend} its share, each health URL with its release.
   */
  public void seedProbes(
      String swarm,
      String k3s,
      String publicUrl,
      EdgeHost edge,
      String k3sBackend,
      Map<String, String> health) {
    probes.seed(swarm, k3s, publicUrl, edge, k3sBackend, health);
  }

  /**
   * The share of the K3s stack's requests that fail (0 to 1), once the edge sends it at least
   * {@code fromPercent} of the traffic (0: always).
   */
  /** The Swarm stack fails this share of its requests too. */
  public void swarmErrorRate(double rate) {
    probes.swarmErrorRate(rate);
  }

  public void errorRate(double rate, int fromPercent) {
    probes.errorRate(rate, fromPercent);
  }

  /** The release's pods never become Ready (CrashLoopBackOff). */
  public void failRollout(String release) {
    helm.failRollout(release);
  }

  /** The node never becomes Ready. */
  public void neverReady(String node) {
    cluster.neverReady(node);
  }
}
