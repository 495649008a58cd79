package io.ferry.activities.cluster;

import io.ferry.activities.Polling;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.WorkerFilesPort;
import io.ferry.contract.K3sActivities;

/**
 * The Swarm-to-K3s roadmap's activities over its ports, each concern in its own class. Every effect
 * finds what an earlier attempt made (a K3s install marked with its key, a Helm revision described
 * by it, a manifest of moved files), and every undo does nothing when there is nothing of this
 * run's to undo.
 */
public final class K3sActivitiesImpl implements K3sActivities {

  private final LegacyRepository repository;
  private final ClusterNodes nodes;
  private final ClusterReadiness cluster;
  private final HelmReleases releases;

  public K3sActivitiesImpl(
      ClusterPorts ports, WorkerFilesPort workerFiles, SecretResolver secrets, Polling polling) {
    ClusterAccess access = new ClusterAccess(ports, polling);
    this.repository = new LegacyRepository(ports);
    this.nodes = new ClusterNodes(ports, workerFiles, secrets, access);
    this.cluster = new ClusterReadiness(ports, workerFiles, access);
    this.releases = new HelmReleases(ports, access);
  }

  @Override
  public LegacyArchive archiveLegacy(LegacyFiles r) {
    return repository.archiveLegacy(r);
  }

  @Override
  public void restoreLegacy(LegacyFiles r) {
    repository.restoreLegacy(r);
  }

  @Override
  public RootCount countRootFiles(LegacyFiles r) {
    return repository.countRootFiles(r);
  }

  @Override
  public NodeInstalled installServer(ServerInstall r) {
    return nodes.installServer(r);
  }

  @Override
  public void uninstallServer(ServerInstall r) {
    nodes.uninstallServer(r);
  }

  @Override
  public ClusterSecrets readClusterSecrets(SecretsRequest r) {
    return nodes.readClusterSecrets(r);
  }

  @Override
  public void forgetClusterSecrets(SecretsRequest r) {
    nodes.forgetClusterSecrets(r);
  }

  @Override
  public NodeInstalled joinNode(NodeJoin r) {
    return nodes.joinNode(r);
  }

  @Override
  public void removeNode(NodeJoin r) {
    nodes.removeNode(r);
  }

  @Override
  public NodesReady waitNodesReady(NodesWatch r) {
    return cluster.waitNodesReady(r);
  }

  @Override
  public PluginApplied applyDevicePlugin(DevicePlugin r) {
    return cluster.applyDevicePlugin(r);
  }

  @Override
  public void deleteDevicePlugin(DevicePlugin r) {
    cluster.deleteDevicePlugin(r);
  }

  @Override
  public GpuCapacity verifyGpus(GpuCheck r) {
    return cluster.verifyGpus(r);
  }

  @Override
  public Released deployRelease(Release r) {
    return releases.deployRelease(r);
  }

  @Override
  public void undoRelease(Release r) {
    releases.undoRelease(r);
  }

  @Override
  public RolloutDone waitRollout(RolloutWatch r) {
    return releases.waitRollout(r);
  }

  @Override
  public HealthChecked checkHealth(HealthCheck r) {
    return releases.checkHealth(r);
  }

  @Override
  public Decommissioned decommissionSwarm(SwarmDecommission r) {
    Decommissioned done = repository.decommissionSwarm(r);
    if (r.clusterSecrets() == null) {
      return done;
    }
    // the migration is complete: nothing of it needs the worker's copies any more
    nodes.forgetClusterSecrets(r.clusterSecrets());
    return new Decommissioned(done.stacksRemoved(), done.archived(), done.marker(), true);
  }
}
