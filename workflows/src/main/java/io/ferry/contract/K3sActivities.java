package io.ferry.contract;

import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import io.ferry.runbook.Summarized;
import io.temporal.activity.ActivityInterface;
import java.time.Duration;
import java.util.List;

/**
 * Docker Swarm to K3s: the deployment repository, the cluster's nodes over SSH, the cluster through
 * its API and Helm releases (the edge and the shift's analysis are {@link EdgeActivities} and
 * {@link TrafficActivities}). The join token and the kubeconfig never cross this interface: the
 * worker keeps them and hands out {@link ClusterSecrets} references.
 */
@ActivityInterface(namePrefix = "K3s.")
public interface K3sActivities {

  /**
   * Archives the legacy deployment files into a dated tarball with its checksum (kept), then moves
   * the obsolete files into the legacy archive directory, recording what moved under the key.
   */
  LegacyArchive archiveLegacy(LegacyFiles request);

  /** Moves back what {@link #archiveLegacy} moved under the key; nothing when nothing moved. */
  void restoreLegacy(LegacyFiles request);

  /** Counts the files left in the repository's root against the plan's limit. */
  RootCount countRootFiles(LegacyFiles request);

  /** Installs the K3s server on the master (a retry finds it installed at the same version). */
  NodeInstalled installServer(ServerInstall request);

  /** Runs K3s's own uninstall script on the master; nothing when K3s is not there. */
  void uninstallServer(ServerInstall request);

  /**
   * Reads the join token and the kubeconfig on the master into the worker's secret store (the
   * kubeconfig pointed at the master's address); returns only references.
   */
  ClusterSecrets readClusterSecrets(SecretsRequest request);

  /** Deletes what {@link #readClusterSecrets} stored; nothing when nothing is stored. */
  void forgetClusterSecrets(SecretsRequest request);

  /** Joins one node to the cluster in its role; a retry finds it joined. */
  NodeInstalled joinNode(NodeJoin request);

  /** Drains the node, deletes it from the cluster and uninstalls K3s on it; nothing when absent. */
  void removeNode(NodeJoin request);

  /** Waits until every expected node is Ready; on timeout names the missing and NotReady ones. */
  NodesReady waitNodesReady(NodesWatch request);

  /** Applies the NVIDIA device plugin manifest (a file on the worker) to the cluster. */
  PluginApplied applyDevicePlugin(DevicePlugin request);

  /** Deletes what the manifest made; nothing when it is not there. */
  void deleteDevicePlugin(DevicePlugin request);

  /** Checks {@code nvidia.com/gpu} is allocatable on every GPU node. */
  GpuCapacity verifyGpus(GpuCheck request);

  /** {@code helm upgrade --install} of one release, marked with the key; a retry finds its mark. */
  Released deployRelease(Release request);

  /**
   * Rolls the release back to the revision before the key's, or uninstalls it when the key's was
   * its first; nothing when no revision carries the key.
   */
  void undoRelease(Release request);

  /** Waits for the release's Deployments and StatefulSets to be available and its pods Ready. */
  RolloutDone waitRollout(RolloutWatch request);

  /** GETs the service's health URL; anything but the expected status fails. */
  HealthChecked checkHealth(HealthCheck request);

  /**
   * Removes the Swarm stacks, moves their compose files into the Swarm archive directory and leaves
   * MIGRATION_COMPLETE.md with the date and where the archive is.
   */
  Decommissioned decommissionSwarm(SwarmDecommission request);

  // ---------------------------------------------------------------- records

  /**
   * @param archiveFiles globs (relative to the repository) archived into the tarball
   * @param excludes globs left out of the tarball
   * @param obsoleteNames name patterns of files moved into {@code legacyDir}
   * @param legacyDir relative to the repository, where obsolete files move
   * @param maxRootFiles the phase-1 criterion: fewer files than this in the root
   * @param date yyyyMMdd of the run, naming the tarball
   */
  record LegacyFiles(
      SshTarget host,
      String repository,
      List<String> archiveFiles,
      List<String> excludes,
      List<String> obsoleteNames,
      String legacyDir,
      int maxRootFiles,
      String date,
      String key) {}

  record LegacyArchive(String tarball, String sha256, int archived, List<String> moved)
      implements Summarized {
    @Override
    public String summary() {
      return "archived "
          + archived
          + " files into "
          + tarball
          + " (sha256 "
          + sha256.substring(0, Math.min(12, sha256.length()))
          + "); moved "
          + moved.size()
          + " obsolete files";
    }
  }

  record RootCount(int files, int limit) implements Summarized {
    @Override
    public String summary() {
      return files + " files in the repository's root (limit " + limit + ")";
    }
  }

  /**
   * @param installer where the installer script comes from: a worker file uploaded to the host, or
   *     a URL the host downloads
   * @param token reference to the cluster's shared secret ({@code --token})
   * @param key marks the install as this run's, so an undo never removes a K3s it did not install
   */
  record ServerInstall(
      SshTarget host,
      String nodeName,
      String version,
      Installer installer,
      SecretRef token,
      String key) {}

  /** Exactly one of {@code workerFile} (uploaded) and {@code url} (fetched by the host). */
  record Installer(String workerFile, String url) {}

  record NodeInstalled(String node, String role, String version, boolean alreadyThere)
      implements Summarized {
    @Override
    public String summary() {
      return (alreadyThere ? "found " : "installed ") + role + " " + node + " at K3s " + version;
    }
  }

  /**
   * @param migration the workflow id: what the worker's secret store keys the values by
   */
  record SecretsRequest(SshTarget master, String masterAddress, String migration) {}

  /** Opaque references into the worker's secret store; never the values. */
  record ClusterSecrets(String joinToken, String kubeconfig) implements Summarized {
    @Override
    public String summary() {
      return "join token and kubeconfig kept on the worker (" + joinToken + ", " + kubeconfig + ")";
    }
  }

  /**
   * @param role {@code agent} or {@code server}
   * @param secrets where the join token and kubeconfig are kept
   */
  record NodeJoin(
      SshTarget host,
      String nodeName,
      String role,
      String masterAddress,
      String version,
      Installer installer,
      ClusterSecrets secrets,
      String key) {}

  record NodesWatch(ClusterSecrets secrets, List<String> nodes, Duration timeout) {}

  record NodesReady(List<String> ready) implements Summarized {
    @Override
    public String summary() {
      return ready.size() + " nodes Ready: " + String.join(", ", ready);
    }
  }

  record DevicePlugin(ClusterSecrets secrets, String manifest) {}

  record PluginApplied(List<String> objects) implements Summarized {
    @Override
    public String summary() {
      return "applied " + String.join(", ", objects);
    }
  }

  record GpuCheck(ClusterSecrets secrets, List<String> gpuNodes, Duration timeout) {}

  record GpuCapacity(List<String> nodes) implements Summarized {
    @Override
    public String summary() {
      return nodes.isEmpty()
          ? "no GPU nodes in the plan"
          : "nvidia.com/gpu allocatable on " + String.join(", ", nodes);
    }
  }

  /**
   * @param chart the chart's path on the master (the deployment repository) or a repo/chart name
   * @param imageTag set as {@code global.imageTag}
   */
  record Release(
      ClusterSecrets secrets,
      SshTarget master,
      String release,
      String chart,
      String namespace,
      String imageTag,
      String key) {}

  record Released(String release, int revision, boolean installed) implements Summarized {
    @Override
    public String summary() {
      return (installed ? "installed " : "upgraded ") + release + " (revision " + revision + ")";
    }
  }

  record RolloutWatch(ClusterSecrets secrets, String release, String namespace, Duration timeout) {}

  record RolloutDone(String release, List<String> workloads) implements Summarized {
    @Override
    public String summary() {
      return release + " rolled out: " + String.join(", ", workloads);
    }
  }

  record HealthCheck(String service, String url, int expectStatus) {}

  record HealthChecked(String service, int status, Duration elapsed) {}

  /**
   * @param composeFiles globs of the Swarm compose files, relative to the repository
   * @param swarmArchiveDir relative to the repository
   * @param clusterSecrets whose copies the worker deletes once Swarm is gone (the migration is
   *     complete and nothing of it needs them any more); null in runs that began without it
   */
  record SwarmDecommission(
      SshTarget manager,
      List<String> stacks,
      SshTarget repositoryHost,
      String repository,
      List<String> composeFiles,
      String swarmArchiveDir,
      String date,
      SecretsRequest clusterSecrets) {}

  /**
   * @param secretsForgotten whether the worker deleted its copies of the join token and kubeconfig
   */
  record Decommissioned(
      List<String> stacksRemoved, List<String> archived, String marker, boolean secretsForgotten)
      implements Summarized {
    @Override
    public String summary() {
      return "removed stacks "
          + String.join(", ", stacksRemoved)
          + "; archived "
          + archived.size()
          + " compose files; wrote "
          + marker
          + (secretsForgotten
              ? "; the worker's copies of the join token and kubeconfig deleted"
              : "");
    }
  }
}
