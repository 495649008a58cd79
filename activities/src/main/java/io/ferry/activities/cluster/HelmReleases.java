package io.ferry.activities.cluster;

import io.ferry.activities.Failures;
import io.ferry.activities.Keys;
import io.ferry.activities.port.HelmPort;
import io.ferry.activities.port.HelmPort.Revision;
import io.ferry.activities.port.HttpPort.HttpAnswer;
import io.ferry.activities.port.KubernetesPort;
import io.ferry.activities.port.KubernetesPort.Rollout;
import io.ferry.contract.K3sActivities.HealthCheck;
import io.ferry.contract.K3sActivities.HealthChecked;
import io.ferry.contract.K3sActivities.Release;
import io.ferry.contract.K3sActivities.Released;
import io.ferry.contract.K3sActivities.RolloutDone;
import io.ferry.contract.K3sActivities.RolloutWatch;
import java.util.List;
import java.util.Optional;

/** Helm releases marked with the run's key, their rollouts and the services' health checks. */
final class HelmReleases {

  private final ClusterPorts ports;
  private final ClusterAccess access;

  HelmReleases(ClusterPorts ports, ClusterAccess access) {
    this.ports = ports;
    this.access = access;
  }

  Released deployRelease(Release r) {
    HelmPort helm = ports.helm();
    String mark = mark(r);
    List<Revision> history = helm.history(r.master(), r.namespace(), r.release());
    Optional<Revision> ours =
        history.stream().filter(h -> mark.equals(h.description())).reduce((a, b) -> b);
    if (ours.isPresent()) {
      return new Released(
          r.release(), ours.get().number(), ours.get().number() == history.get(0).number());
    }
    int revision =
        helm.upgradeInstall(r.master(), r.namespace(), r.release(), r.chart(), r.imageTag(), mark);
    return new Released(r.release(), revision, history.isEmpty());
  }

  void undoRelease(Release r) {
    HelmPort helm = ports.helm();
    String mark = mark(r);
    List<Revision> history = helm.history(r.master(), r.namespace(), r.release());
    Optional<Revision> ours =
        history.stream().filter(h -> mark.equals(h.description())).findFirst();
    if (ours.isEmpty()) {
      return;
    }
    Optional<Revision> before =
        history.stream().filter(h -> h.number() < ours.get().number()).reduce((a, b) -> b);
    if (before.isEmpty()) {
      helm.uninstall(r.master(), r.namespace(), r.release());
      return;
    }
    String rolledBack = "Rollback to " + before.get().number();
    if (history.get(history.size() - 1).description().equals(rolledBack)) {
      return; // an earlier attempt of this undo rolled it back already
    }
    helm.rollback(r.master(), r.namespace(), r.release(), before.get().number());
  }

  /** Helm descriptions are free text: the key's marker identifies this run's revision. */
  private static String mark(Release r) {
    return Keys.marker(r.key() + ":" + r.release());
  }

  RolloutDone waitRollout(RolloutWatch r) {
    String kubeconfig = access.kubeconfig(r.secrets());
    KubernetesPort k8s = ports.kubernetes();
    Rollout[] last = new Rollout[1];
    List<String> pending =
        access.waitFor(
            r.timeout(),
            () -> {
              last[0] = k8s.rollout(kubeconfig, r.namespace(), r.release());
              if (last[0].workloads().isEmpty()) {
                return List.of("no Deployment or StatefulSet of release " + r.release() + " yet");
              }
              return last[0].workloads().stream()
                  .filter(w -> !w.done())
                  .map(
                      w ->
                          w.kind()
                              + "/"
                              + w.name()
                              + " "
                              + w.ready()
                              + "/"
                              + w.desired()
                              + " ready")
                  .toList();
            });
    if (!pending.isEmpty()) {
      String problem = last[0] == null ? null : last[0].problem();
      throw Failures.thresholdNotMet(
          r.release()
              + " did not roll out within "
              + io.ferry.plan.Durations.format(r.timeout())
              + ": "
              + String.join(", ", pending)
              + (problem == null ? "" : "; " + problem));
    }
    return new RolloutDone(
        r.release(), last[0].workloads().stream().map(w -> w.kind() + "/" + w.name()).toList());
  }

  HealthChecked checkHealth(HealthCheck r) {
    String[] last = {"no answer"};
    HttpAnswer[] ok = new HttpAnswer[1];
    access.waitFor(
        access.pollingTimeout(),
        () -> {
          try {
            HttpAnswer a = ports.probes().get(r.url());
            if (a.status() == r.expectStatus()) {
              ok[0] = a;
              return List.of();
            }
            last[0] = "status " + a.status();
          } catch (RuntimeException e) {
            last[0] = e.getMessage();
          }
          return List.of(last[0]);
        });
    if (ok[0] == null) {
      throw Failures.thresholdNotMet(
          r.service()
              + "'s health check "
              + r.url()
              + " wants "
              + r.expectStatus()
              + ", got "
              + last[0]);
    }
    return new HealthChecked(r.service(), ok[0].status(), ok[0].elapsed());
  }
}
