package io.ferry.activities.cluster;

import io.ferry.activities.Failures;
import io.ferry.activities.Keys;
import io.ferry.activities.Polling;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.DeployRepositoryPort;
import io.ferry.activities.port.DeployRepositoryPort.Tarball;
import io.ferry.activities.port.HelmPort;
import io.ferry.activities.port.HelmPort.Revision;
import io.ferry.activities.port.HttpPort.HttpAnswer;
import io.ferry.activities.port.K3sNodesPort.InstallerSource;
import io.ferry.activities.port.K3sNodesPort.K3sInstall;
import io.ferry.activities.port.K3sPorts;
import io.ferry.activities.port.KubernetesPort;
import io.ferry.activities.port.KubernetesPort.NodeState;
import io.ferry.activities.port.KubernetesPort.Rollout;
import io.ferry.activities.port.WorkerFilesPort;
import io.ferry.contract.K3sActivities;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Swarm-to-K3s roadmap's activities over its ports. Every effect finds what an earlier attempt
 * made (a K3s install marked with its key, a Helm revision described by it, a manifest of moved
 * files), and every undo does nothing when there is nothing of this run's to undo.
 */
public final class K3sActivitiesImpl implements K3sActivities {

  private static final long MAX_INSTALLER_BYTES = 2L * 1024 * 1024;
  private static final long MAX_MANIFEST_BYTES = 4L * 1024 * 1024;

  private final K3sPorts ports;
  private final WorkerFilesPort workerFiles;
  private final SecretResolver secrets;
  private final Polling polling;

  public K3sActivitiesImpl(
      K3sPorts ports, WorkerFilesPort workerFiles, SecretResolver secrets, Polling polling) {
    this.ports = ports;
    this.workerFiles = workerFiles;
    this.secrets = secrets;
    this.polling = polling;
  }

  // ---------------------------------------------------------------- the repository

  @Override
  public LegacyArchive archiveLegacy(LegacyFiles r) {
    DeployRepositoryPort repo = ports.repository();
    String tarballPath = "archive/deployment-archive-" + r.date() + ".tar.gz";
    Tarball tarball =
        repo.archive(r.host(), r.repository(), r.archiveFiles(), r.excludes(), tarballPath);
    List<String> moved =
        repo.moveAside(r.host(), r.repository(), r.obsoleteNames(), r.legacyDir(), manifest(r));
    return new LegacyArchive(tarball.path(), tarball.sha256(), tarball.files(), moved);
  }

  @Override
  public void restoreLegacy(LegacyFiles r) {
    ports.repository().moveBack(r.host(), r.repository(), manifest(r));
  }

  @Override
  public RootCount countRootFiles(LegacyFiles r) {
    int files = ports.repository().rootFiles(r.host(), r.repository());
    if (files >= r.maxRootFiles()) {
      throw Failures.thresholdNotMet(
          files
              + " files are left in the root of "
              + r.repository()
              + "; phase 1 asks for fewer than "
              + r.maxRootFiles()
              + ": move more into archive/ or raise repository.maxRootFiles");
    }
    return new RootCount(files, r.maxRootFiles());
  }

  private static String manifest(LegacyFiles r) {
    return r.legacyDir() + "/.ferry-moved-" + Keys.safe(r.key()) + ".txt";
  }

  // ---------------------------------------------------------------- nodes

  @Override
  public NodeInstalled installServer(ServerInstall r) {
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

  @Override
  public void uninstallServer(ServerInstall r) {
    uninstallIfOurs(r.host(), r.key());
  }

  @Override
  public ClusterSecrets readClusterSecrets(SecretsRequest r) {
    String token = ports.nodes().readJoinToken(r.master()).strip();
    String kubeconfig =
        KubeconfigAddress.pointAt(ports.nodes().readKubeconfig(r.master()), r.masterAddress());
    return new ClusterSecrets(
        ports.secretStore().put(r.migration(), "join-token", token),
        ports.secretStore().put(r.migration(), "kubeconfig", kubeconfig));
  }

  @Override
  public void forgetClusterSecrets(SecretsRequest r) {
    ports.secretStore().forget(r.migration());
  }

  @Override
  public NodeInstalled joinNode(NodeJoin r) {
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
            stored(r.secrets().joinToken(), "join token")));
  }

  @Override
  public void removeNode(NodeJoin r) {
    Optional<io.ferry.activities.port.K3sNodesPort.Installed> installed =
        ports.nodes().installed(r.host());
    if (installed.isEmpty() || !r.key().equals(installed.get().owner())) {
      return; // never joined by this run (or installed by someone else): not ours to remove
    }
    ports.kubernetes().drainAndDelete(kubeconfig(r.secrets()), r.nodeName());
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

  // ---------------------------------------------------------------- the cluster

  @Override
  public NodesReady waitNodesReady(NodesWatch r) {
    String kubeconfig = kubeconfig(r.secrets());
    List<String> problems =
        waitFor(
            r.timeout(),
            () -> {
              Map<String, NodeState> nodes = byName(ports.kubernetes().nodes(kubeconfig));
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

  @Override
  public PluginApplied applyDevicePlugin(DevicePlugin r) {
    return new PluginApplied(ports.kubernetes().apply(kubeconfig(r.secrets()), manifest(r)));
  }

  @Override
  public void deleteDevicePlugin(DevicePlugin r) {
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

  @Override
  public GpuCapacity verifyGpus(GpuCheck r) {
    String kubeconfig = kubeconfig(r.secrets());
    List<String> missing =
        waitFor(
            r.timeout(),
            () -> {
              Map<String, NodeState> nodes = byName(ports.kubernetes().nodes(kubeconfig));
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

  // ---------------------------------------------------------------- releases

  @Override
  public Released deployRelease(Release r) {
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

  @Override
  public void undoRelease(Release r) {
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

  @Override
  public RolloutDone waitRollout(RolloutWatch r) {
    String kubeconfig = kubeconfig(r.secrets());
    KubernetesPort k8s = ports.kubernetes();
    Rollout[] last = new Rollout[1];
    List<String> pending =
        waitFor(
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

  @Override
  public HealthChecked checkHealth(HealthCheck r) {
    String[] last = {"no answer"};
    HttpAnswer[] ok = new HttpAnswer[1];
    waitFor(
        polling.timeout(),
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

  // ---------------------------------------------------------------- decommission

  @Override
  public Decommissioned decommissionSwarm(SwarmDecommission r) {
    List<String> present = ports.swarm().stacks(r.manager());
    List<String> removed = new ArrayList<>();
    for (String stack : r.stacks()) {
      if (present.contains(stack)) {
        ports.swarm().removeStack(r.manager(), stack);
        removed.add(stack);
      }
    }
    List<String> archived =
        ports
            .repository()
            .moveInto(r.repositoryHost(), r.repository(), r.composeFiles(), r.swarmArchiveDir());
    String marker = "MIGRATION_COMPLETE.md";
    ports
        .repository()
        .writeFile(
            r.repositoryHost(),
            r.repository(),
            marker,
            "# Migrated to K3s on "
                + r.date()
                + "\n\nLegacy configs archived in "
                + r.swarmArchiveDir()
                + "\nSwarm stacks removed: "
                + String.join(", ", r.stacks())
                + "\n");
    return new Decommissioned(removed, archived, marker);
  }

  // ---------------------------------------------------------------- helpers

  private String kubeconfig(ClusterSecrets s) {
    return stored(s.kubeconfig(), "kubeconfig");
  }

  private String stored(String reference, String what) {
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

  private static Map<String, NodeState> byName(List<NodeState> nodes) {
    return nodes.stream()
        .collect(Collectors.toMap(NodeState::name, Function.identity(), (a, b) -> b));
  }

  /** Polls {@code check} until it reports nothing or {@code timeout} passes; its last report. */
  private List<String> waitFor(Duration timeout, java.util.function.Supplier<List<String>> check) {
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
