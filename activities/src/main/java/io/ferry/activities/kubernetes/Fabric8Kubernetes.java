package io.ferry.activities.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.ferry.activities.Failures;
import io.ferry.activities.port.KubernetesPort;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@link KubernetesPort} with fabric8, one client per call from the kubeconfig the worker keeps
 * (never written to disk by this class). Releases are found by Helm's standard label {@code
 * app.kubernetes.io/instance}.
 */
public final class Fabric8Kubernetes implements KubernetesPort {

  static final String GPU = "nvidia.com/gpu";
  static final String INSTANCE = "app.kubernetes.io/instance";

  @Override
  public List<NodeState> nodes(String kubeconfig) {
    return call(
        kubeconfig,
        "listing nodes",
        k8s -> k8s.nodes().list().getItems().stream().map(Fabric8Kubernetes::state).toList());
  }

  private static NodeState state(Node node) {
    NodeCondition ready =
        node.getStatus() == null || node.getStatus().getConditions() == null
            ? null
            : node.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()))
                .findFirst()
                .orElse(null);
    boolean isReady = ready != null && "True".equals(ready.getStatus());
    Map<String, Quantity> allocatable =
        node.getStatus() == null ? null : node.getStatus().getAllocatable();
    Quantity gpu = allocatable == null ? null : allocatable.get(GPU);
    int gpus = gpu == null ? 0 : Quantity.getAmountInBytes(gpu).intValue();
    String condition =
        isReady
            ? null
            : ready == null
                ? "no Ready condition yet"
                : ready.getReason() + (ready.getMessage() == null ? "" : ": " + ready.getMessage());
    return new NodeState(node.getMetadata().getName(), isReady, gpus, condition);
  }

  @Override
  public boolean drainAndDelete(String kubeconfig, String node) {
    return call(
        kubeconfig,
        "draining node " + node,
        k8s -> {
          Node found = k8s.nodes().withName(node).get();
          if (found == null) {
            return false;
          }
          k8s.nodes()
              .withName(node)
              .edit(
                  n ->
                      new NodeBuilder(n).editOrNewSpec().withUnschedulable(true).endSpec().build());
          for (Pod pod :
              k8s.pods().inAnyNamespace().withField("spec.nodeName", node).list().getItems()) {
            boolean daemon =
                pod.getMetadata().getOwnerReferences() != null
                    && pod.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> "DaemonSet".equals(o.getKind()));
            if (!daemon) {
              k8s.pods()
                  .inNamespace(pod.getMetadata().getNamespace())
                  .withName(pod.getMetadata().getName())
                  .delete();
            }
          }
          k8s.nodes().withName(node).delete();
          return true;
        });
  }

  @Override
  public List<String> apply(String kubeconfig, String manifest) {
    return call(
        kubeconfig,
        "applying a manifest",
        k8s -> {
          List<String> applied = new ArrayList<>();
          for (HasMetadata item : items(k8s, manifest)) {
            k8s.resource(item).createOr(NonDeletingOperation::update);
            applied.add(item.getKind() + "/" + item.getMetadata().getName());
          }
          return applied;
        });
  }

  @Override
  public List<String> delete(String kubeconfig, String manifest) {
    return call(
        kubeconfig,
        "deleting a manifest's objects",
        k8s -> {
          List<String> deleted = new ArrayList<>();
          for (HasMetadata item : items(k8s, manifest)) {
            if (!k8s.resource(item).delete().isEmpty()) {
              deleted.add(item.getKind() + "/" + item.getMetadata().getName());
            }
          }
          return deleted;
        });
  }

  @Override
  public Rollout rollout(String kubeconfig, String namespace, String release) {
    return call(
        kubeconfig,
        "reading the rollout of " + release,
        k8s -> {
          List<Workload> workloads = new ArrayList<>();
          for (Deployment d :
              k8s.apps()
                  .deployments()
                  .inNamespace(namespace)
                  .withLabel(INSTANCE, release)
                  .list()
                  .getItems()) {
            int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            int ready =
                d.getStatus() == null || d.getStatus().getAvailableReplicas() == null
                    ? 0
                    : d.getStatus().getAvailableReplicas();
            workloads.add(new Workload("Deployment", d.getMetadata().getName(), desired, ready));
          }
          for (StatefulSet s :
              k8s.apps()
                  .statefulSets()
                  .inNamespace(namespace)
                  .withLabel(INSTANCE, release)
                  .list()
                  .getItems()) {
            int desired = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
            int ready =
                s.getStatus() == null || s.getStatus().getReadyReplicas() == null
                    ? 0
                    : s.getStatus().getReadyReplicas();
            workloads.add(new Workload("StatefulSet", s.getMetadata().getName(), desired, ready));
          }
          String problem =
              workloads.stream().allMatch(Workload::done)
                  ? null
                  : failingPod(k8s, namespace, release);
          return new Rollout(workloads, problem);
        });
  }

  /** The first pod of the release that is not Ready: its container's reason and last events. */
  private static String failingPod(KubernetesClient k8s, String namespace, String release) {
    for (Pod pod :
        k8s.pods().inNamespace(namespace).withLabel(INSTANCE, release).list().getItems()) {
      String reason = notReadyReason(pod);
      if (reason == null) {
        continue;
      }
      String name = pod.getMetadata().getName();
      List<Event> events =
          k8s.v1().events().inNamespace(namespace).list().getItems().stream()
              // filtered here, not by field selector, which not every API server serves for events
              .filter(
                  e ->
                      e.getInvolvedObject() != null && name.equals(e.getInvolvedObject().getName()))
              .toList();
      List<String> last =
          events.stream()
              .sorted(Comparator.comparing(e -> Objects.toString(e.getLastTimestamp(), "")))
              .map(e -> e.getReason() + ": " + e.getMessage())
              .toList();
      return "pod "
          + name
          + ": "
          + reason
          + (last.isEmpty()
              ? ""
              : "; last events: "
                  + String.join(" | ", last.subList(Math.max(0, last.size() - 3), last.size())));
    }
    return null;
  }

  private static String notReadyReason(Pod pod) {
    if (pod.getStatus() == null) {
      return "no status yet";
    }
    boolean ready =
        pod.getStatus().getConditions() != null
            && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    if (ready) {
      return null;
    }
    if (pod.getStatus().getContainerStatuses() != null) {
      for (ContainerStatus c : pod.getStatus().getContainerStatuses()) {
        if (c.getState() != null && c.getState().getWaiting() != null) {
          return c.getState().getWaiting().getReason()
              + (c.getState().getWaiting().getMessage() == null
                  ? ""
                  : " (" + c.getState().getWaiting().getMessage() + ")");
        }
        if (c.getState() != null && c.getState().getTerminated() != null) {
          return "terminated: " + c.getState().getTerminated().getReason();
        }
      }
    }
    return pod.getStatus().getPhase()
        + (pod.getStatus().getReason() == null ? "" : " (" + pod.getStatus().getReason() + ")");
  }

  private static List<HasMetadata> items(KubernetesClient k8s, String manifest) {
    List<HasMetadata> items =
        k8s.load(new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8))).items();
    if (items.isEmpty()) {
      throw Failures.invalidInput("the manifest holds no Kubernetes objects");
    }
    return items;
  }

  private static <T> T call(String kubeconfig, String what, Function<KubernetesClient, T> work) {
    Config config;
    try {
      config = Config.fromKubeconfig(kubeconfig);
    } catch (RuntimeException e) {
      throw Failures.invalidInput("the kept kubeconfig cannot be read: " + e.getMessage());
    }
    try (KubernetesClient k8s = new KubernetesClientBuilder().withConfig(config).build()) {
      return work.apply(k8s);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 401 || e.getCode() == 403) {
        throw Failures.precondition(
            what + ": the cluster refused the kubeconfig (" + e.getCode() + ")");
      }
      throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
    }
  }
}
