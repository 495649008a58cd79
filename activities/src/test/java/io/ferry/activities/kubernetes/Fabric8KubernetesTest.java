package io.ferry.activities.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.ferry.activities.port.KubernetesPort.NodeState;
import io.ferry.activities.port.KubernetesPort.Rollout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fabric8 adapter against fabric8's Kubernetes mock server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class Fabric8KubernetesTest {

  static KubernetesClient client;

  private final Fabric8Kubernetes k8s = new Fabric8Kubernetes();
  private String kubeconfig;

  @BeforeEach
  void kubeconfigForTheMockServer() {
    kubeconfig =
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: "
            + client.getMasterUrl()
            + "\n    insecure-skip-tls-verify: true\n  name: mock\ncontexts:\n- context:\n"
            + "    cluster: mock\n    user: ferry\n  name: mock\ncurrent-context: mock\n"
            + "users:\n- name: ferry\n  user:\n    token: test-token\n";
  }

  private static void node(String name, boolean ready, String gpus) {
    NodeBuilder b =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewStatus()
            .addNewCondition()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .withReason(ready ? "KubeletReady" : "KubeletNotReady")
            .withMessage(ready ? null : "container runtime network not ready")
            .endCondition()
            .withAllocatable(gpus == null ? Map.of() : Map.of("nvidia.com/gpu", new Quantity(gpus)))
            .endStatus();
    client.nodes().resource(b.build()).create();
  }

  @Test
  void nodes_sayWhichAreReady_whyTheOthersAreNot_andTheirAllocatableGpus() {
    node("master", true, null);
    node("gpu-1", true, "2");
    node("late", false, null);

    List<NodeState> nodes = k8s.nodes(kubeconfig);

    assertThat(nodes)
        .containsExactlyInAnyOrder(
            new NodeState("master", true, 0, null),
            new NodeState("gpu-1", true, 2, null),
            new NodeState(
                "late", false, 0, "KubeletNotReady: container runtime network not ready"));
  }

  @Test
  void applyThenDelete_createsTheManifestsObjects_andRemovesExactlyThem() {
    String manifest =
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: nvidia-device-plugin-daemonset\n"
            + "  namespace: kube-system\nspec:\n  selector:\n    matchLabels:\n      name: nv\n"
            + "  template:\n    metadata:\n      labels:\n        name: nv\n    spec:\n"
            + "      containers:\n      - name: ctr\n        image: nvcr.io/nvidia/k8s-device-plugin:v0.14.0\n";

    assertThat(k8s.apply(kubeconfig, manifest))
        .containsExactly("DaemonSet/nvidia-device-plugin-daemonset");
    assertThat(k8s.apply(kubeconfig, manifest)).hasSize(1); // again: updated, not duplicated
    assertThat(
            client
                .apps()
                .daemonSets()
                .inNamespace("kube-system")
                .withName("nvidia-device-plugin-daemonset")
                .get())
        .isNotNull();

    assertThat(k8s.delete(kubeconfig, manifest))
        .containsExactly("DaemonSet/nvidia-device-plugin-daemonset");
    assertThat(client.apps().daemonSets().inNamespace("kube-system").list().getItems()).isEmpty();
    assertThat(k8s.delete(kubeconfig, manifest)).isEmpty();
  }

  @Test
  void rollout_ofAReleaseThatIsNotAvailable_namesTheFailingPodsReasonAndLastEvents() {
    client
        .apps()
        .deployments()
        .inNamespace("sophia")
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("backend")
                .withLabels(Map.of("app.kubernetes.io/instance", "backend"))
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .endSpec()
                .withNewStatus()
                .withAvailableReplicas(1)
                .endStatus()
                .build())
        .create();
    client
        .pods()
        .inNamespace("sophia")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("backend-7d9f-x2k9p")
                .withLabels(Map.of("app.kubernetes.io/instance", "backend"))
                .endMetadata()
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("False")
                .endCondition()
                .addNewContainerStatus()
                .withName("api")
                .withNewState()
                .withNewWaiting()
                .withReason("CrashLoopBackOff")
                .withMessage("back-off 5m0s restarting failed container")
                .endWaiting()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build())
        .create();
    client
        .v1()
        .events()
        .inNamespace("sophia")
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName("backend-7d9f-x2k9p.1")
                .endMetadata()
                .withNewInvolvedObject()
                .withName("backend-7d9f-x2k9p")
                .withKind("Pod")
                .endInvolvedObject()
                .withReason("BackOff")
                .withMessage("Back-off restarting failed container api")
                .withLastTimestamp("2026-11-30T14:00:00Z")
                .build())
        .create();

    Rollout rollout = k8s.rollout(kubeconfig, "sophia", "backend");

    assertThat(rollout.workloads()).singleElement().satisfies(w -> assertThat(w.done()).isFalse());
    assertThat(rollout.problem())
        .contains("pod backend-7d9f-x2k9p: CrashLoopBackOff")
        .contains("BackOff: Back-off restarting failed container api");
    assertThat(k8s.rollout(kubeconfig, "sophia", "frontend").workloads()).isEmpty();
  }

  @Test
  void drainAndDelete_removesTheNode_andIsANoOpOnceItIsGone() {
    node("worker-1", true, null);

    assertThat(k8s.drainAndDelete(kubeconfig, "worker-1")).isTrue();
    assertThat(client.nodes().withName("worker-1").get()).isNull();
    assertThat(k8s.drainAndDelete(kubeconfig, "worker-1")).isFalse();
  }
}
