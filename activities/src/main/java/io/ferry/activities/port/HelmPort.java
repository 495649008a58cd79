package io.ferry.activities.port;

import io.ferry.plan.SshTarget;
import java.util.List;

/** Helm releases, driven where the chart and the cluster's own kubeconfig are: on the master. */
public interface HelmPort {

  record Revision(int number, String status, String description) {}

  /** {@code helm history}, oldest first; empty when the release does not exist. */
  List<Revision> history(SshTarget master, String namespace, String release);

  /**
   * {@code helm upgrade --install RELEASE CHART --set global.imageTag=TAG --description D}; returns
   * the new revision.
   */
  int upgradeInstall(
      SshTarget master,
      String namespace,
      String release,
      String chart,
      String imageTag,
      String description);

  void rollback(SshTarget master, String namespace, String release, int revision);

  void uninstall(SshTarget master, String namespace, String release);
}
