package io.ferry.activities.port;

import io.ferry.plan.SshTarget;
import java.util.Optional;

/**
 * K3s on a host: the installer run as server or agent, its uninstall scripts, and the two files on
 * the server that must stay off history (read only to go into the worker's secret store).
 */
public interface K3sNodesPort {

  /** Where the installer comes from: its bytes, uploaded, or a URL the host fetches. */
  record InstallerSource(byte[] script, String url) {}

  /**
   * @param role {@code server} or {@code agent}
   * @param server {@code https://MASTER:6443} for a node that joins; null for the first server
   * @param token the cluster token (first server) or the join token (a joining node)
   */
  record K3sInstall(
      String nodeName,
      String role,
      String version,
      InstallerSource installer,
      String server,
      String token) {}

  /**
   * K3s on a host.
   *
   * @param owner the key of the run that installed it, null when Ferry did not
   */
  record Installed(String version, String owner) {}

  /** The K3s on the host (its version and Ferry's mark), empty when there is none. */
  Optional<Installed> installed(SshTarget host);

  /** Runs the installer, then marks the install with {@code owner}. */
  void install(SshTarget host, K3sInstall install, String owner);

  /** Runs {@code k3s-uninstall.sh} or {@code k3s-agent-uninstall.sh}; false when neither exists. */
  boolean uninstall(SshTarget host);

  /** The server's join token ({@code /var/lib/rancher/k3s/server/node-token}). */
  String readJoinToken(SshTarget master);

  /** The server's kubeconfig ({@code /etc/rancher/k3s/k3s.yaml}), as K3s wrote it. */
  String readKubeconfig(SshTarget master);
}
