package io.ferry.activities.cluster;

import io.ferry.activities.Failures;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.K3sNodesPort.InstallerSource;
import io.ferry.activities.port.K3sNodesPort.K3sInstall;
import io.ferry.activities.port.WorkerFilesPort;
import io.ferry.contract.K3sActivities.ClusterSecrets;
import io.ferry.contract.K3sActivities.Installer;
import io.ferry.contract.K3sActivities.NodeInstalled;
import io.ferry.contract.K3sActivities.NodeJoin;
import io.ferry.contract.K3sActivities.SecretsRequest;
import io.ferry.contract.K3sActivities.ServerInstall;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The cluster's hosts: K3s installed (marked as this run's) and uninstalled, nodes joined and
 * removed, the join token and kubeconfig kept in the worker's secret store.
 */
final class ClusterNodes {

  private static final long MAX_INSTALLER_BYTES = 2L * 1024 * 1024;

  private final ClusterPorts ports;
  private final WorkerFilesPort workerFiles;
  private final SecretResolver secrets;
  private final ClusterAccess access;

  ClusterNodes(
      ClusterPorts ports,
      WorkerFilesPort workerFiles,
      SecretResolver secrets,
      ClusterAccess access) {
    this.ports = ports;
    this.workerFiles = workerFiles;
    this.secrets = secrets;
    this.access = access;
  }

  NodeInstalled installServer(ServerInstall r) {
    return install(
        r.host(),
        r.key(),
        new K3sInstall(
            r.nodeName(),
            "server",
            r.version(),
            installer(r.installer()),
            null,
            secrets.resolve(r.token())));
  }

  void uninstallServer(ServerInstall r) {
    uninstallIfOurs(r.host(), r.key());
  }

  ClusterSecrets readClusterSecrets(SecretsRequest r) {
    String token = ports.nodes().readJoinToken(r.master()).strip();
    String kubeconfig =
        KubeconfigAddress.pointAt(ports.nodes().readKubeconfig(r.master()), r.masterAddress());
    return new ClusterSecrets(
        ports.secretStore().put(r.migration(), "join-token", token),
        ports.secretStore().put(r.migration(), "kubeconfig", kubeconfig));
  }

  void forgetClusterSecrets(SecretsRequest r) {
    ports.secretStore().forget(r.migration());
  }

  NodeInstalled joinNode(NodeJoin r) {
    String server = "https://" + r.masterAddress() + ":6443";
    return install(
        r.host(),
        r.key(),
        new K3sInstall(
            r.nodeName(),
            r.role(),
            r.version(),
            installer(r.installer()),
            server,
            access.stored(r.secrets().joinToken(), "join token")));
  }

  void removeNode(NodeJoin r) {
    Optional<io.ferry.activities.port.K3sNodesPort.Installed> installed =
        ports.nodes().installed(r.host());
    if (installed.isEmpty() || !r.key().equals(installed.get().owner())) {
      return; // never joined by this run (or installed by someone else): not ours to remove
    }
    ports.kubernetes().drainAndDelete(access.kubeconfig(r.secrets()), r.nodeName());
    ports.nodes().uninstall(r.host());
  }

  private NodeInstalled install(io.ferry.plan.SshTarget host, String key, K3sInstall install) {
    var installed = ports.nodes().installed(host);
    if (installed.isPresent()) {
      var found = installed.get();
      if (key.equals(found.owner()) && found.version().equals(install.version())) {
        return new NodeInstalled(install.nodeName(), install.role(), found.version(), true);
      }
      throw Failures.precondition(
          "K3s "
              + found.version()
              + " is already installed on "
              + host.host()
              + (found.owner() == null
                  ? " (not by Ferry)"
                  : " (by another run: " + found.owner() + ")")
              + "; uninstall it first, or leave this host out of the plan");
    }
    ports.nodes().install(host, install, key);
    return new NodeInstalled(install.nodeName(), install.role(), install.version(), false);
  }

  private void uninstallIfOurs(io.ferry.plan.SshTarget host, String key) {
    var installed = ports.nodes().installed(host);
    if (installed.isPresent() && key.equals(installed.get().owner())) {
      ports.nodes().uninstall(host);
    }
  }

  private InstallerSource installer(Installer installer) {
    if (installer.url() != null) {
      return new InstallerSource(null, installer.url());
    }
    String script =
        workerFiles
            .readText(installer.workerFile(), MAX_INSTALLER_BYTES)
            .orElseThrow(
                () ->
                    Failures.invalidInput(
                        "cluster.installer.uploadFrom: no file "
                            + installer.workerFile()
                            + " on the worker; download https://get.k3s.io there first"));
    return new InstallerSource(script.getBytes(StandardCharsets.UTF_8), null);
  }
}
