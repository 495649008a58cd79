package io.ferry.activities.cluster;

import io.ferry.activities.Failures;
import io.ferry.activities.Polling;
import io.ferry.activities.port.KubernetesPort.NodeState;
import io.ferry.contract.K3sActivities.ClusterSecrets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What the K3s activities share: the stored kubeconfig and polling until a check is clean. */
final class ClusterAccess {

  private final ClusterPorts ports;
  private final Polling polling;

  ClusterAccess(ClusterPorts ports, Polling polling) {
    this.ports = ports;
    this.polling = polling;
  }

  /** How long polling may go on at most. */
  Duration pollingTimeout() {
    return polling.timeout();
  }

  String kubeconfig(ClusterSecrets s) {
    return stored(s.kubeconfig(), "kubeconfig");
  }

  String stored(String reference, String what) {
    return ports
        .secretStore()
        .get(reference)
        .orElseThrow(
            () ->
                Failures.precondition(
                    "the "
                        + what
                        + " ("
                        + reference
                        + ") is not in this worker's secret store: run read-cluster-secrets again"
                        + " (retry it) on this worker"));
  }

  static Map<String, NodeState> byName(List<NodeState> nodes) {
    return nodes.stream()
        .collect(Collectors.toMap(NodeState::name, Function.identity(), (a, b) -> b));
  }

  /** Polls {@code check} until it reports nothing or {@code timeout} passes; its last report. */
  List<String> waitFor(Duration timeout, java.util.function.Supplier<List<String>> check) {
    Duration cap = timeout.compareTo(polling.timeout()) < 0 ? timeout : polling.timeout();
    long deadline = System.nanoTime() + cap.toNanos();
    while (true) {
      List<String> problems = check.get();
      if (problems.isEmpty() || System.nanoTime() >= deadline) {
        return problems;
      }
      polling.pause();
    }
  }
}
