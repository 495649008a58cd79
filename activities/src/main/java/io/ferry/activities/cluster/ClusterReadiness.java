package io.ferry.activities.cluster;

import io.ferry.activities.Failures;
import io.ferry.activities.port.KubernetesPort.NodeState;
import io.ferry.activities.port.WorkerFilesPort;
import io.ferry.contract.K3sActivities.DevicePlugin;
import io.ferry.contract.K3sActivities.GpuCapacity;
import io.ferry.contract.K3sActivities.GpuCheck;
import io.ferry.contract.K3sActivities.NodesReady;
import io.ferry.contract.K3sActivities.NodesWatch;
import io.ferry.contract.K3sActivities.PluginApplied;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The cluster through its API: nodes Ready, the NVIDIA device plugin, GPUs allocatable. */
final class ClusterReadiness {

  private static final long MAX_MANIFEST_BYTES = 4L * 1024 * 1024;

  private final ClusterPorts ports;
  private final WorkerFilesPort workerFiles;
  private final ClusterAccess access;

  ClusterReadiness(ClusterPorts ports, WorkerFilesPort workerFiles, ClusterAccess access) {
    this.ports = ports;
    this.workerFiles = workerFiles;
    this.access = access;
  }

  NodesReady waitNodesReady(NodesWatch r) {
    String kubeconfig = access.kubeconfig(r.secrets());
    List<String> problems =
        access.waitFor(
            r.timeout(),
            () -> {
              Map<String, NodeState> nodes =
                  ClusterAccess.byName(ports.kubernetes().nodes(kubeconfig));
              List<String> wrong = new ArrayList<>();
              for (String name : r.nodes()) {
                NodeState n = nodes.get(name);
                if (n == null) {
                  wrong.add(name + " missing");
                } else if (!n.ready()) {
                  wrong.add(
                      name
                          + " NotReady"
                          + (n.condition() == null ? "" : " (" + n.condition() + ")"));
                }
              }
              return wrong;
            });
    if (!problems.isEmpty()) {
      throw Failures.thresholdNotMet(
          "nodes not Ready after "
              + io.ferry.plan.Durations.format(r.timeout())
              + ": "
              + String.join(", ", problems));
    }
    return new NodesReady(r.nodes());
  }

  PluginApplied applyDevicePlugin(DevicePlugin r) {
    return new PluginApplied(ports.kubernetes().apply(access.kubeconfig(r.secrets()), manifest(r)));
  }

  void deleteDevicePlugin(DevicePlugin r) {
    Optional<String> kubeconfig = ports.secretStore().get(r.secrets().kubeconfig());
    if (kubeconfig.isPresent()) {
      ports.kubernetes().delete(kubeconfig.get(), manifest(r));
    }
  }

  private String manifest(DevicePlugin r) {
    return workerFiles
        .readText(r.manifest(), MAX_MANIFEST_BYTES)
        .orElseThrow(
            () ->
                Failures.invalidInput(
                    "cluster.devicePlugin: no file "
                        + r.manifest()
                        + " on the worker; ship NVIDIA's nvidia-device-plugin.yml there"));
  }

  GpuCapacity verifyGpus(GpuCheck r) {
    String kubeconfig = access.kubeconfig(r.secrets());
    List<String> missing =
        access.waitFor(
            r.timeout(),
            () -> {
              Map<String, NodeState> nodes =
                  ClusterAccess.byName(ports.kubernetes().nodes(kubeconfig));
              return r.gpuNodes().stream()
                  .filter(n -> nodes.get(n) == null || nodes.get(n).gpus() < 1)
                  .toList();
            });
    if (!missing.isEmpty()) {
      throw Failures.thresholdNotMet(
          "no allocatable nvidia.com/gpu on "
              + String.join(", ", missing)
              + ": check the NVIDIA driver and container toolkit on those hosts and the device"
              + " plugin's pods");
    }
    return new GpuCapacity(r.gpuNodes());
  }
}
