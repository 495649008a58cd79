package io.ferry.roadmap.k3s;

import static io.ferry.roadmap.k3s.K3sSteps.APPLY_DEVICE_PLUGIN;
import static io.ferry.roadmap.k3s.K3sSteps.APPROVE_DECOMMISSION;
import static io.ferry.roadmap.k3s.K3sSteps.APPROVE_SHIFT;
import static io.ferry.roadmap.k3s.K3sSteps.ARCHIVE_LEGACY;
import static io.ferry.roadmap.k3s.K3sSteps.CHECK_REPOSITORY_ROOT;
import static io.ferry.roadmap.k3s.K3sSteps.DECOMMISSION_SWARM;
import static io.ferry.roadmap.k3s.K3sSteps.DEPLOY_SERVICES;
import static io.ferry.roadmap.k3s.K3sSteps.INSTALL_SERVER;
import static io.ferry.roadmap.k3s.K3sSteps.JOIN_WORKERS;
import static io.ferry.roadmap.k3s.K3sSteps.READ_CLUSTER_SECRETS;
import static io.ferry.roadmap.k3s.K3sSteps.SHIFT;
import static io.ferry.roadmap.k3s.K3sSteps.SOAK_CLUSTER;
import static io.ferry.roadmap.k3s.K3sSteps.UPDATE_CI_PIPELINE;
import static io.ferry.roadmap.k3s.K3sSteps.VERIFY_GPUS;
import static io.ferry.roadmap.k3s.K3sSteps.WAIT_NODES_READY;

import io.ferry.contract.K3sActivities;
import io.ferry.contract.K3sActivities.ClusterSecrets;
import io.ferry.contract.K3sActivities.DevicePlugin;
import io.ferry.contract.K3sActivities.GpuCheck;
import io.ferry.contract.K3sActivities.Installer;
import io.ferry.contract.K3sActivities.LegacyFiles;
import io.ferry.contract.K3sActivities.NodeJoin;
import io.ferry.contract.K3sActivities.NodesWatch;
import io.ferry.contract.K3sActivities.SecretsRequest;
import io.ferry.contract.K3sActivities.ServerInstall;
import io.ferry.contract.K3sActivities.SwarmDecommission;
import io.ferry.roadmap.common.TrafficShift;
import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookWorkflow;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** The k3s checklist; each call below is one line of DESIGN's table. */
public class K3sWorkflowImpl extends RunbookWorkflow implements K3sWorkflow {

  static final String LEGACY_DIR = "archive/legacy-deployments";
  static final String SWARM_ARCHIVE_DIR = "archive/docker-swarm-legacy";

  @WorkflowInit
  public K3sWorkflowImpl(K3sPlan plan) {
    super(K3sPlan.ROADMAP, plan, K3sSteps.forPlan(plan));
  }

  @Override
  public RunbookResult migrate(K3sPlan plan) {
    return runbook.run(() -> checklist(plan));
  }

  private void checklist(K3sPlan plan) {
    String date =
        DateTimeFormatter.ofPattern("yyyyMMdd")
            .format(Instant.ofEpochMilli(Workflow.currentTimeMillis()).atOffset(ZoneOffset.UTC));

    // preserve before touching
    K3sPlan.Repository repo = plan.repository();
    LegacyFiles legacy =
        new LegacyFiles(
            repo.host(),
            repo.path(),
            repo.archive(),
            repo.exclude(),
            repo.obsolete(),
            LEGACY_DIR,
            repo.maxRootFiles(),
            date,
            key(ARCHIVE_LEGACY));
    runbook.step(
        ARCHIVE_LEGACY,
        K3sActivities.class,
        k3s -> k3s.archiveLegacy(legacy),
        k3s -> k3s.restoreLegacy(legacy));
    runbook.check(CHECK_REPOSITORY_ROOT, K3sActivities.class, k3s -> k3s.countRootFiles(legacy));

    // the cluster
    K3sPlan.Cluster cluster = plan.cluster();
    Installer installer =
        new Installer(cluster.installer().uploadFrom(), cluster.installer().url());
    String masterAddress = cluster.master().addressOrHost();
    ServerInstall server =
        new ServerInstall(
            cluster.master().ssh(),
            cluster.master().name(),
            cluster.version(),
            installer,
            cluster.token(),
            key(INSTALL_SERVER));
    runbook.step(
        INSTALL_SERVER,
        K3sActivities.class,
        k3s -> k3s.installServer(server),
        k3s -> k3s.uninstallServer(server));
    SecretsRequest secretsRequest =
        new SecretsRequest(
            cluster.master().ssh(), masterAddress, Workflow.getInfo().getWorkflowId());
    ClusterSecrets secrets =
        runbook.step(
            READ_CLUSTER_SECRETS,
            K3sActivities.class,
            k3s -> k3s.readClusterSecrets(secretsRequest),
            k3s -> k3s.forgetClusterSecrets(secretsRequest));
    List<NodeJoin> joins =
        cluster.nodes().stream()
            .map(
                n ->
                    new NodeJoin(
                        n.ssh(),
                        n.name(),
                        n.roleOrDefault(),
                        masterAddress,
                        cluster.version(),
                        installer,
                        secrets,
                        key(JOIN_WORKERS)))
            .toList();
    runbook.step(
        JOIN_WORKERS,
        K3sActivities.class,
        k3s -> {
          List<String> joined = new ArrayList<>();
          for (NodeJoin join : joins) {
            joined.add(k3s.joinNode(join).summary());
          }
          return new Joined(joined);
        },
        k3s -> {
          // each undo tolerates a node that never joined; reverse order, the last joined first
          for (int i = joins.size() - 1; i >= 0; i--) {
            k3s.removeNode(joins.get(i));
          }
        });
    List<String> expected = cluster.all().stream().map(K3sPlan.Node::name).toList();
    runbook.check(
        WAIT_NODES_READY,
        K3sActivities.class,
        k3s -> k3s.waitNodesReady(new NodesWatch(secrets, expected, cluster.readyTimeout())));
    List<String> gpuNodes =
        cluster.all().stream().filter(K3sPlan.Node::gpu).map(K3sPlan.Node::name).toList();
    if (gpuNodes.isEmpty()) {
      runbook.notNeeded(APPLY_DEVICE_PLUGIN, "the plan marks no GPU nodes");
      runbook.notNeeded(VERIFY_GPUS, "the plan marks no GPU nodes");
    } else {
      DevicePlugin plugin = new DevicePlugin(secrets, cluster.devicePlugin());
      runbook.step(
          APPLY_DEVICE_PLUGIN,
          K3sActivities.class,
          k3s -> k3s.applyDevicePlugin(plugin),
          k3s -> k3s.deleteDevicePlugin(plugin));
      runbook.check(
          VERIFY_GPUS,
          K3sActivities.class,
          k3s -> k3s.verifyGpus(new GpuCheck(secrets, gpuNodes, cluster.readyTimeout())));
    }

    // services, in priority order, beside Swarm
    new K3sDeployment(plan, secrets, key(DEPLOY_SERVICES)).run(runbook, DEPLOY_SERVICES);
    runbook.manual(UPDATE_CI_PIPELINE);

    // the weighted shift behind its gate, then the soak
    runbook.gate(APPROVE_SHIFT);
    K3sEdgePlan edge = plan.edge();
    SHIFT.run(
        runbook,
        plan.shift(),
        new TrafficShift.Target(
            edge.edgeHost(),
            edge.site(plan.name()),
            key(SHIFT.routeTestUsers()),
            List.of(edge.swarmUrl()),
            List.of(edge.k3sUrl()),
            null,
            List.of(edge.publicUrl())));
    runbook.soak(SOAK_CLUSTER, plan.soak());

    // decommission behind its gate
    runbook.gate(APPROVE_DECOMMISSION);
    K3sPlan.Swarm swarm = plan.swarm();
    SwarmDecommission decommission =
        new SwarmDecommission(
            swarm.manager(),
            swarm.stacks(),
            repo.host(),
            repo.path(),
            swarm.composeFiles(),
            SWARM_ARCHIVE_DIR,
            date,
            secretsRequest);
    runbook.irreversible(
        DECOMMISSION_SWARM, K3sActivities.class, k3s -> k3s.decommissionSwarm(decommission));
  }

  /** What the join step did, one line per node. */
  record Joined(List<String> nodes) implements io.ferry.runbook.Summarized {
    @Override
    public String summary() {
      return nodes.isEmpty() ? "no nodes beside the master" : String.join("; ", nodes);
    }
  }
}
