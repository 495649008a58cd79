package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.HelmPort;
import io.ferry.activities.port.KubernetesPort.Rollout;
import io.ferry.activities.port.KubernetesPort.Workload;
import io.ferry.plan.SshTarget;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Helm releases in the simulated cluster, with revisions: each upgrade is a new revision whose
 * Deployment becomes available a few polls later (or never, for a release a knob breaks); a
 * rollback is a new revision described "Rollback to N", as Helm does.
 */
final class SimHelm implements HelmPort {

  private static final int POLLS_TO_AVAILABLE = 2;

  private final SimWorld world;
  private final Map<String, ReleaseState> releases = new TreeMap<>();
  private final Set<String> failing = new HashSet<>();

  private static final class ReleaseState {
    final String cluster;
    final List<Revision> history = new ArrayList<>();
    final List<String> tags = new ArrayList<>();
    int polls;

    ReleaseState(String cluster) {
      this.cluster = cluster;
    }
  }

  SimHelm(SimWorld world) {
    this.world = world;
  }

  void failRollout(String release) {
    synchronized (world) {
      failing.add(release);
    }
  }

  /** Whether the release is deployed and its pods are Ready. */
  boolean serving(String release) {
    synchronized (world) {
      return releases.entrySet().stream()
          .anyMatch(
              e ->
                  e.getKey().endsWith("/" + release)
                      && e.getValue().polls >= POLLS_TO_AVAILABLE
                      && !failing.contains(release));
    }
  }

  void clusterGone(String cluster) {
    releases
        .entrySet()
        .removeIf(
            e -> {
              if (e.getValue().cluster.equals(cluster)) {
                world.ledger.remove("helm-release", e.getKey());
                return true;
              }
              return false;
            });
  }

  @Override
  public List<Revision> history(SshTarget master, String namespace, String release) {
    synchronized (world) {
      cluster(master);
      ReleaseState r = releases.get(namespace + "/" + release);
      return r == null ? List.of() : List.copyOf(r.history);
    }
  }

  @Override
  public int upgradeInstall(
      SshTarget master,
      String namespace,
      String release,
      String chart,
      String imageTag,
      String description) {
    synchronized (world) {
      String cluster = cluster(master);
      ReleaseState r =
          releases.computeIfAbsent(namespace + "/" + release, k -> new ReleaseState(cluster));
      int number = r.history.size() + 1;
      r.history.add(new Revision(number, "deployed", description));
      r.tags.add(imageTag);
      r.polls = 0;
      put(namespace, release, r, chart);
      return number;
    }
  }

  @Override
  public void rollback(SshTarget master, String namespace, String release, int revision) {
    synchronized (world) {
      cluster(master);
      ReleaseState r = releases.get(namespace + "/" + release);
      if (r == null || revision < 1 || revision > r.history.size()) {
        throw Failures.notFound("release " + release + " has no revision " + revision);
      }
      r.history.add(new Revision(r.history.size() + 1, "deployed", "Rollback to " + revision));
      r.tags.add(r.tags.get(revision - 1));
      r.polls = POLLS_TO_AVAILABLE;
      put(namespace, release, r, null);
    }
  }

  @Override
  public void uninstall(SshTarget master, String namespace, String release) {
    synchronized (world) {
      cluster(master);
      if (releases.remove(namespace + "/" + release) != null) {
        world.ledger.remove("helm-release", namespace + "/" + release);
      }
    }
  }

  Rollout rollout(String namespace, String release) {
    ReleaseState r = releases.get(namespace + "/" + release);
    if (r == null) {
      return new Rollout(List.of(), null);
    }
    r.polls++;
    boolean broken = failing.contains(release);
    int ready = broken ? 0 : Math.min(2, r.polls);
    String problem =
        broken
            ? "pod "
                + release
                + "-7d9f8b6c4-x2k9p: CrashLoopBackOff (back-off 5m0s restarting failed container);"
                + " last events: Pulled image tag "
                + r.tags.get(r.tags.size() - 1)
                + ", Started container, Back-off restarting failed container"
            : null;
    return new Rollout(List.of(new Workload("Deployment", release, 2, ready)), problem);
  }

  private String cluster(SshTarget master) {
    String address = world.hosts.connect(master).address;
    if (!world.k3sWorld.cluster.clusters.containsKey(address)) {
      throw Failures.precondition(
          "Error: Kubernetes cluster unreachable on " + address + " (no K3s server there)");
    }
    return address;
  }

  private void put(String namespace, String release, ReleaseState r, String chart) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("revision", Integer.toString(r.history.size()));
    a.put("imageTag", r.tags.get(r.tags.size() - 1));
    if (chart != null) {
      a.put("chart", chart);
    }
    world.ledger.put(new Resource("helm-release", namespace + "/" + release, a));
  }
}
