package io.ferry.activities.port;

import java.util.List;

/** A cluster through its API, reached with a kubeconfig the worker holds. */
public interface KubernetesPort {

  /**
   * @param gpus allocatable {@code nvidia.com/gpu}, 0 when none
   * @param condition the Ready condition's reason or message when not Ready
   */
  record NodeState(String name, boolean ready, int gpus, String condition) {}

  /**
   * @param kind Deployment or StatefulSet
   */
  record Workload(String kind, String name, int desired, int ready) {
    public boolean done() {
      return ready >= desired;
    }
  }

  /**
   * @param problem the failing pod's reason and its last events, or null when none is failing
   */
  record Rollout(List<Workload> workloads, String problem) {}

  List<NodeState> nodes(String kubeconfig);

  /** Cordons, evicts the node's pods (DaemonSets' stay) and deletes the node; false if absent. */
  boolean drainAndDelete(String kubeconfig, String node);

  /** Creates or replaces every object in the YAML; returns {@code kind/name} of each. */
  List<String> apply(String kubeconfig, String manifest);

  /** Deletes every object in the YAML that exists; returns those deleted. */
  List<String> delete(String kubeconfig, String manifest);

  /** The release's Deployments and StatefulSets ({@code app.kubernetes.io/instance=RELEASE}). */
  Rollout rollout(String kubeconfig, String namespace, String release);
}
