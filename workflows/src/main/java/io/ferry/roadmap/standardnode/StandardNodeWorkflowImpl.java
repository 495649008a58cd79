package io.ferry.roadmap.standardnode;

import static io.ferry.roadmap.standardnode.StandardNodeSteps.APPROVE_DECOMMISSION;
import static io.ferry.roadmap.standardnode.StandardNodeSteps.APPROVE_SHIFT;
import static io.ferry.roadmap.standardnode.StandardNodeSteps.BOOTSTRAP_REPLICAS;
import static io.ferry.roadmap.standardnode.StandardNodeSteps.CHECK_NEW_PORTS;
import static io.ferry.roadmap.standardnode.StandardNodeSteps.CHECK_NEW_SERVICES;
import static io.ferry.roadmap.standardnode.StandardNodeSteps.CHECK_OLD_SERVICES;
import static io.ferry.roadmap.standardnode.StandardNodeSteps.CHECK_PRIMARY;
import static io.ferry.roadmap.standardnode.StandardNodeSteps.CHECK_REPLICA_LOGINS;
import static io.ferry.roadmap.standardnode.StandardNodeSteps.CREATE_SLOTS;
import static io.ferry.roadmap.standardnode.StandardNodeSteps.DECOMMISSION_OLD;
import static io.ferry.roadmap.standardnode.StandardNodeSteps.DISABLE_CRON;
import static io.ferry.roadmap.standardnode.StandardNodeSteps.SHIFT;
import static io.ferry.roadmap.standardnode.StandardNodeSteps.START_NODE;
import static io.ferry.roadmap.standardnode.StandardNodeSteps.VERIFY_STREAMING;

import io.ferry.contract.CronActivities;
import io.ferry.contract.CronActivities.CronDisable;
import io.ferry.contract.CronActivities.CronRestore;
import io.ferry.contract.EdgeActivities.EdgeHost;
import io.ferry.contract.EdgeActivities.EdgeSite;
import io.ferry.contract.EdgeActivities.TestUsers;
import io.ferry.contract.NodeActivities;
import io.ferry.contract.NodeActivities.Decommission;
import io.ferry.contract.NodeActivities.NodeProject;
import io.ferry.contract.NodeActivities.NodeProjectRef;
import io.ferry.contract.NodeActivities.PortsCheck;
import io.ferry.contract.NodeActivities.Service;
import io.ferry.contract.NodeActivities.ServiceChecks;
import io.ferry.contract.ReplicationActivities;
import io.ferry.contract.ReplicationActivities.PrimaryCheck;
import io.ferry.contract.ReplicationActivities.Replica;
import io.ferry.contract.ReplicationActivities.Replicas;
import io.ferry.contract.ReplicationActivities.Slots;
import io.ferry.contract.ReplicationActivities.StreamingCheck;
import io.ferry.contract.TrafficActivities.LagLimit;
import io.ferry.roadmap.common.TrafficShift;
import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookWorkflow;
import io.temporal.workflow.WorkflowInit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class StandardNodeWorkflowImpl extends RunbookWorkflow implements StandardNodeWorkflow {

  @WorkflowInit
  public StandardNodeWorkflowImpl(StandardNodePlan plan) {
    super(StandardNodePlan.ROADMAP, plan, StandardNodeSteps.ALL);
  }

  @Override
  public RunbookResult migrate(StandardNodePlan plan) {
    return runbook.run(() -> checklist(plan));
  }

  private void checklist(StandardNodePlan plan) {
    ServiceChecks old = checks("the old services", plan.oldServices(), plan);
    runbook.check(CHECK_OLD_SERVICES, NodeActivities.class, n -> n.checkServices(old));
    Map<String, Integer> ports = new LinkedHashMap<>();
    plan.newServices().forEach(s -> ports.put(s.name(), s.port()));
    runbook.check(
        CHECK_NEW_PORTS,
        NodeActivities.class,
        n -> n.checkPortsFree(new PortsCheck(plan.node(), ports)));
    Replicas replicas = replicas(plan);
    runbook.check(
        CHECK_PRIMARY,
        ReplicationActivities.class,
        r -> r.inspectPrimary(new PrimaryCheck(plan.primary(), replicas.replicas().size())));
    runbook.check(
        CHECK_REPLICA_LOGINS, ReplicationActivities.class, r -> r.checkReplicaLogins(replicas));

    StandardNodePlan.Compose compose = plan.compose();
    Map<String, String> settings = new LinkedHashMap<>(compose.settings());
    settings.put("DB_PRIMARY_HOST", plan.primary().host());
    settings.put("DB_PRIMARY_PORT", String.valueOf(plan.primary().port()));
    NodeProject project =
        new NodeProject(
            plan.node(),
            compose.directory(),
            compose.project(),
            compose.file(),
            settings,
            compose.secrets());
    runbook.step(
        START_NODE,
        NodeActivities.class,
        n -> n.startNode(project),
        n -> n.stopNode(new NodeProjectRef(plan.node(), compose.directory(), compose.project())));
    List<StandardNodePlan.Service> both = new ArrayList<>(plan.newServices());
    both.addAll(plan.oldServices());
    ServiceChecks all = checks("the new and the old services", both, plan);
    runbook.check(CHECK_NEW_SERVICES, NodeActivities.class, n -> n.checkServices(all));

    StandardNodePlan.Cron cron = plan.cron();
    if (cron == null) {
      runbook.notNeeded(DISABLE_CRON, "the plan names no crontab entries");
    } else {
      runbook.step(
          DISABLE_CRON,
          CronActivities.class,
          c ->
              c.disableCronEntries(
                  new CronDisable(plan.node(), cron.user(), cron.entries(), key(DISABLE_CRON))),
          c -> c.restoreCronEntries(new CronRestore(plan.node(), cron.user(), key(DISABLE_CRON))));
    }

    Slots slots =
        new Slots(
            plan.primary(),
            plan.replication().replicas().stream()
                .map(StandardNodePlan.Replica::slotName)
                .toList());
    runbook.step(
        CREATE_SLOTS,
        ReplicationActivities.class,
        r -> r.createSlots(slots),
        r -> r.dropSlots(slots));
    runbook.step(
        BOOTSTRAP_REPLICAS,
        ReplicationActivities.class,
        r -> r.bootstrapReplicas(replicas),
        r -> r.removeReplicas(replicas));
    StandardNodePlan.Replication replication = plan.replication();
    StreamingCheck streaming = new StreamingCheck(replicas, replication.maxLag());
    runbook.hold(
        VERIFY_STREAMING,
        ReplicationActivities.class,
        r -> r.measureStreaming(streaming),
        replication.lagInterval(),
        replication.lagTimeout());

    runbook.gate(APPROVE_SHIFT);
    SHIFT.run(runbook, plan.shift(), shiftTarget(plan, replicas));

    runbook.gate(APPROVE_DECOMMISSION);
    if (!plan.decommissions()) {
      runbook.notNeeded(DECOMMISSION_OLD, "the plan keeps the old services running beside the new");
      return;
    }
    List<String> units = plan.oldServices().stream().map(StandardNodePlan.Service::unit).toList();
    runbook.irreversible(
        DECOMMISSION_OLD,
        NodeActivities.class,
        n -> n.decommission(new Decommission(plan.node(), units)));
  }

  private TrafficShift.Target shiftTarget(StandardNodePlan plan, Replicas replicas) {
    StandardNodePlan.Edge edge = plan.edge();
    String node = plan.node().host();
    StandardNodePlan.Service oldBackend =
        StandardNodePlan.service(plan.oldServices(), edge.oldBackend());
    StandardNodePlan.Service newBackend =
        StandardNodePlan.service(plan.newServices(), edge.newBackend());
    StandardNodePlan.TestUsers users = edge.testUsers();
    EdgeSite site =
        new EdgeSite(
            plan.name(),
            edge.listen(),
            edge.serverNames(),
            edge.staticRoot(),
            edge.apiPath(),
            node + ":" + oldBackend.port(),
            node + ":" + newBackend.port(),
            users == null ? null : new TestUsers(users.header(), users.cookie(), users.value()));
    return new TrafficShift.Target(
        new EdgeHost(
            edge.host() == null ? plan.node() : edge.host(), edge.sitePath(), edge.mainConfig()),
        site,
        key(SHIFT.routeTestUsers()),
        List.of(probe(node, oldBackend, edge.probePath())),
        List.of(probe(node, newBackend, edge.probePath())),
        new LagLimit(
            plan.primary(),
            replicas.replicas().stream().map(Replica::name).toList(),
            plan.shift().maxReplicationLag()),
        List.of());
  }

  private static Replicas replicas(StandardNodePlan plan) {
    StandardNodePlan.Replication r = plan.replication();
    return new Replicas(
        plan.primary(),
        r.user(),
        r.password(),
        r.replicas().stream()
            .map(
                x ->
                    new Replica(
                        x.name(),
                        x.host(),
                        x.addressOrHost(),
                        x.binDir(),
                        x.dataDir(),
                        x.port(),
                        x.slotName(),
                        x.osUser()))
            .toList());
  }

  private static ServiceChecks checks(
      String what, List<StandardNodePlan.Service> services, StandardNodePlan plan) {
    String host = plan.node().host();
    return new ServiceChecks(
        what,
        plan.node(),
        services.stream()
            .filter(StandardNodePlan.Service::checked)
            .map(s -> new Service(s.name(), url(host, s)))
            .toList());
  }

  private static String probe(String host, StandardNodePlan.Service s, String path) {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return path == null ? url(host, s) : "http://" + h + ":" + s.port() + path;
  }

  private static String url(String host, StandardNodePlan.Service s) {
    String h = host.contains(":") ? "[" + host + "]" : host;
    if (StandardNodePlan.Service.REDIS.equals(s.probe())) {
      return "redis://" + h + ":" + s.port();
    }
    return "http://" + h + ":" + s.port() + (s.health() == null ? "/" : s.health());
  }
}
