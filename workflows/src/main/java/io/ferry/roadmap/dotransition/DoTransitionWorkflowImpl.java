package io.ferry.roadmap.dotransition;

import static io.ferry.roadmap.dotransition.DoTransitionSteps.APPROVE_DECOMMISSION;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.APPROVE_PRIMARY_SWITCH;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.ARCHIVE_SOURCE;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.CREATE_APP_DROPLET;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.CREATE_VECTOR_DROPLET;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.DESTROY_SOURCE_VM;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.ENSURE_SESSION_COLLECTION;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.FIND_APP_NODE;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.FIND_VECTOR_NODE;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.INSTALL_NODE_EXPORTER;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.INSTALL_PYTHON_ENV;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.MIGRATE_MEMORY;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.PROBE_API_HEALTH;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.PROBE_POSTGRES_TPS;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.PROBE_SESSION_QUERY;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.PROBE_WEAVIATE_P95;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.PROBE_WEAVIATE_READY;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.RUN_MCP_SERVER;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.SCHEDULE_NIGHTLY_BACKUPS;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.SOAK_UNTIL_DECOMMISSION;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.START_API_SERVICE;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.STOP_SOURCE_SERVICES;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.SWITCH_CI_CD;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.SWITCH_DEV_WORKFLOW;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.SYNC_CODE;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.VERIFY_APP_NODE;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.VERIFY_VECTOR_NODE;
import static io.ferry.roadmap.dotransition.DoTransitionSteps.WRITE_ENV_FILE;

import io.ferry.contract.CloudActivities;
import io.ferry.contract.CloudActivities.DropletRequest;
import io.ferry.contract.CloudActivities.ResourceKey;
import io.ferry.contract.DataActivities;
import io.ferry.contract.DataActivities.CollectionSpec;
import io.ferry.contract.DataActivities.CollectionsDrop;
import io.ferry.contract.DataActivities.CollectionsRequest;
import io.ferry.contract.DataActivities.MemoryMigration;
import io.ferry.contract.ProbeActivities;
import io.ferry.contract.ProbeActivities.HttpProbe;
import io.ferry.contract.ProbeActivities.PgbenchRequest;
import io.ferry.contract.ProbeActivities.VectorQueryProbe;
import io.ferry.contract.ProbeActivities.WeaviateReady;
import io.ferry.contract.TransitionActivities;
import io.ferry.contract.TransitionActivities.AppNodeCheck;
import io.ferry.contract.TransitionActivities.ArchiveRequest;
import io.ferry.contract.TransitionActivities.CodeSync;
import io.ferry.contract.TransitionActivities.CronLines;
import io.ferry.contract.TransitionActivities.DetachedContainer;
import io.ferry.contract.TransitionActivities.EnvFileRequest;
import io.ferry.contract.TransitionActivities.Node;
import io.ferry.contract.TransitionActivities.NodeExporterRequest;
import io.ferry.contract.TransitionActivities.NodeLookup;
import io.ferry.contract.TransitionActivities.ObjectStore;
import io.ferry.contract.TransitionActivities.PythonEnvRequest;
import io.ferry.contract.TransitionActivities.ServiceUnit;
import io.ferry.contract.TransitionActivities.SourceServices;
import io.ferry.contract.TransitionActivities.WatchRequest;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import io.ferry.plan.WeaviateTarget;
import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookWorkflow;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.WatchedSoak;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The do-transition checklist; each call below is one line of DESIGN's table. */
public class DoTransitionWorkflowImpl extends RunbookWorkflow implements DoTransitionWorkflow {

  static final String SESSION = "Session";
  static final List<String> ALWAYS_EXCLUDED = List.of("venv", ".git");
  static final String PASSWORD_VAR = "POSTGRES_PASSWORD";

  @WorkflowInit
  public DoTransitionWorkflowImpl(DoTransitionPlan plan) {
    super(DoTransitionPlan.ROADMAP, plan, DoTransitionSteps.ALL);
  }

  @Override
  public RunbookResult migrate(DoTransitionPlan plan) {
    return runbook.run(() -> checklist(plan));
  }

  private void checklist(DoTransitionPlan plan) {
    Instant start = Instant.ofEpochMilli(Workflow.currentTimeMillis());

    // nodes: adopt or create, then look at each over SSH
    Node vector = node(plan.vectorNode(), CREATE_VECTOR_DROPLET, FIND_VECTOR_NODE);
    SshTarget vectorHost = sshOf(plan.vectorNode(), vector);
    runbook.check(
        VERIFY_VECTOR_NODE, TransitionActivities.class, t -> t.verifyVectorNode(vectorHost));
    Node appDroplet = node(plan.appNode(), CREATE_APP_DROPLET, FIND_APP_NODE);
    SshTarget appHost = sshOf(plan.appNode(), appDroplet);
    PostgresTarget postgres = plan.postgres();
    runbook.check(
        VERIFY_APP_NODE,
        TransitionActivities.class,
        t -> t.verifyAppNode(new AppNodeCheck(appHost, postgres.user())));

    // code
    DoTransitionPlan.App app = plan.app();
    List<String> excludes = new ArrayList<>(ALWAYS_EXCLUDED);
    excludes.addAll(plan.source().excludes());
    CodeSync sync =
        new CodeSync(
            plan.source().ssh(),
            plan.source().checkoutDir(),
            appHost,
            app.directory(),
            List.copyOf(excludes),
            key(SYNC_CODE));
    runbook.step(
        SYNC_CODE,
        TransitionActivities.class,
        t -> t.syncCode(sync),
        t -> t.removeSyncedCode(sync));
    PythonEnvRequest venv =
        new PythonEnvRequest(appHost, app.directory(), app.requirements(), key(INSTALL_PYTHON_ENV));
    runbook.step(
        INSTALL_PYTHON_ENV,
        TransitionActivities.class,
        t -> t.installPythonEnv(venv),
        t -> t.removePythonEnv(venv));

    // data: the memory migration is weaviate-first's activity, unchanged
    WeaviateTarget weaviate =
        new WeaviateTarget(
            "http://" + vector.privateIp() + ":" + plan.weaviate().port(),
            plan.weaviate().apiKey());
    List<CollectionSpec> collections = List.of(sessionCollection());
    runbook.step(
        ENSURE_SESSION_COLLECTION,
        DataActivities.class,
        data ->
            data.createCollections(
                new CollectionsRequest(weaviate, collections, key(ENSURE_SESSION_COLLECTION))),
        data ->
            data.deleteCreatedCollections(
                new CollectionsDrop(weaviate, List.of(SESSION), key(ENSURE_SESSION_COLLECTION))));
    DoTransitionPlan.MemoryStore store = plan.memoryStore();
    MemoryMigration migration =
        new MemoryMigration(
            store.source(),
            store.pattern(),
            weaviate,
            SESSION,
            tenantOf(Workflow.currentTimeMillis()),
            store.batchSize(),
            store.maxMalformedShare(),
            key(MIGRATE_MEMORY));
    runbook.step(
        MIGRATE_MEMORY,
        DataActivities.class,
        data -> data.migrateMemory(migration),
        data -> data.deleteMigratedMemory(migration));

    // service
    EnvFileRequest env = envFile(plan, appHost, weaviate.url(), key(WRITE_ENV_FILE));
    runbook.step(
        WRITE_ENV_FILE,
        TransitionActivities.class,
        t -> t.writeEnvFile(env),
        t -> t.restoreEnvFile(env));
    String appBase = "http://" + appHost.host() + ":" + app.port();
    ServiceUnit unit =
        new ServiceUnit(
            appHost,
            app.service(),
            unitFile(app),
            appBase + app.healthPath(),
            Duration.ofMinutes(2));
    runbook.step(
        START_API_SERVICE,
        TransitionActivities.class,
        t -> t.startService(unit),
        t -> t.removeService(unit));
    DoTransitionPlan.Container mcp = plan.mcpServer();
    DetachedContainer container =
        new DetachedContainer(appHost, mcp.name(), mcp.image(), mcp.volumes(), mcp.env());
    runbook.step(
        RUN_MCP_SERVER,
        TransitionActivities.class,
        t -> t.runContainer(container),
        t -> t.removeContainer(container));
    NodeExporterRequest exporter =
        new NodeExporterRequest(appHost, plan.nodeExporter().tarball(), plan.nodeExporter().port());
    runbook.step(
        INSTALL_NODE_EXPORTER,
        TransitionActivities.class,
        t -> t.installNodeExporter(exporter),
        t -> t.removeNodeExporter(exporter));

    // validate
    DoTransitionPlan.Thresholds limits = plan.thresholds();
    runbook.check(
        PROBE_API_HEALTH,
        ProbeActivities.class,
        probe -> probe.http(new HttpProbe(appBase + app.healthPath(), 200, 3, null)));
    runbook.check(
        PROBE_WEAVIATE_READY,
        ProbeActivities.class,
        probe -> probe.weaviateReady(new WeaviateReady(weaviate, null, Duration.ofMinutes(1))));
    runbook.check(
        PROBE_SESSION_QUERY,
        ProbeActivities.class,
        probe ->
            probe.http(
                new HttpProbe(
                    appBase + app.sessionQueryPath(),
                    200,
                    limits.samples(),
                    limits.sessionQuery())));
    runbook.check(
        PROBE_WEAVIATE_P95,
        ProbeActivities.class,
        probe ->
            probe.vectorQuery(
                new VectorQueryProbe(weaviate, SESSION, limits.samples(), limits.weaviateP95())));
    runbook.check(
        PROBE_POSTGRES_TPS,
        ProbeActivities.class,
        probe ->
            probe.pgbench(
                new PgbenchRequest(
                    appHost,
                    postgres,
                    limits.pgbenchClients(),
                    limits.pgbenchDuration(),
                    limits.minTps())));

    // switch: the gate, then the two changes people make
    runbook.gate(APPROVE_PRIMARY_SWITCH);
    runbook.brief(
        SWITCH_DEV_WORKFLOW,
        DeveloperWorkflow.devWorkflowInstructions(plan, appHost.host(), vectorHost.host()));
    runbook.manual(SWITCH_DEV_WORKFLOW);
    runbook.brief(SWITCH_CI_CD, DeveloperWorkflow.ciInstructions(plan, appHost.host()));
    runbook.manual(SWITCH_CI_CD);

    // archive: made and kept whatever happens later
    DoTransitionPlan.Archive archive = plan.archive();
    String archiveName =
        plan.app().name() + "_final_backup_" + tenantOf(Workflow.currentTimeMillis()) + ".tar.gz";
    ArchiveRequest archiveRequest =
        new ArchiveRequest(
            plan.source().ssh(),
            plan.source().checkoutDir(),
            List.copyOf(excludes),
            plan.source().archiveDir(),
            archive.localDir(),
            new ObjectStore(
                archive.endpoint(),
                archive.region(),
                archive.bucket(),
                archive.accessKey(),
                archive.secretKey()),
            archive.prefix() + archiveName,
            key(ARCHIVE_SOURCE));
    runbook.check(ARCHIVE_SOURCE, TransitionActivities.class, t -> t.archiveSource(archiveRequest));

    // soak until the decommission day, watching the new nodes
    DoTransitionPlan.Watch watch = plan.watch();
    WatchRequest sample =
        new WatchRequest(
            "http://" + appHost.host() + ":" + plan.nodeExporter().port() + "/metrics",
            appBase + app.healthPath(),
            postgres,
            weaviate,
            SESSION,
            watch.cpuPercent(),
            watch.memoryPercent(),
            watch.diskPercent(),
            watch.apiLatency(),
            watch.weaviateP95(),
            5);
    WatchedSoak<TransitionActivities> watched =
        new WatchedSoak<>(
            TransitionActivities.class, t -> t.sampleResources(sample), watch.interval());
    Instant decommissionAt = start.plus(Duration.ofDays(plan.decommissionDay()));
    Duration untilDecommission =
        Duration.between(Instant.ofEpochMilli(Workflow.currentTimeMillis()), decommissionAt);
    runbook.soak(
        SOAK_UNTIL_DECOMMISSION,
        untilDecommission.isNegative() ? Duration.ZERO : untilDecommission,
        watched);

    // decommission: the point of no return, behind its gate
    runbook.brief(APPROVE_DECOMMISSION, watched.briefing());
    runbook.gate(APPROVE_DECOMMISSION);
    runbook.irreversible(
        STOP_SOURCE_SERVICES,
        TransitionActivities.class,
        t ->
            t.stopSourceServices(
                new SourceServices(plan.source().ssh(), plan.source().services())));
    runbook.brief(
        DESTROY_SOURCE_VM,
        "Destroy "
            + plan.source().ssh().host()
            + " at its provider's console once you have checked the archive "
            + archive.bucket()
            + "/"
            + archiveRequest.objectKey()
            + "; mark this step done with your name.");
    runbook.manual(DESTROY_SOURCE_VM);

    // after: the nightly backups, restorable
    CronLines nightly =
        new CronLines(appHost, null, backupLines(plan), key(SCHEDULE_NIGHTLY_BACKUPS));
    runbook.step(
        SCHEDULE_NIGHTLY_BACKUPS,
        TransitionActivities.class,
        t -> t.scheduleBackups(nightly),
        t -> t.unscheduleBackups(nightly));
  }

  /** Seed "Next Steps": pg_dump into the backup directory, then the API's Weaviate backup. */
  static List<String> backupLines(DoTransitionPlan plan) {
    DoTransitionPlan.Backups b = plan.backups();
    PostgresTarget pg = plan.postgres();
    return List.of(
        b.postgresAt()
            + " mkdir -p "
            + b.directory()
            + " && pg_dump -U "
            + pg.user()
            + " "
            + pg.database()
            + " | gzip > "
            + b.directory()
            + "/postgres_$(date +\\%Y\\%m\\%d).sql.gz",
        b.weaviateAt()
            + " curl -fsS -X POST http://localhost:"
            + plan.app().port()
            + b.weaviatePath());
  }

  /** Creates the droplet when the plan says so, then finds it (by id, tag or this run's key). */
  private Node node(DoTransitionPlan.Node node, StepDef create, StepDef find) {
    String dropletKey = key(create);
    if (node.creates()) {
      DoTransitionPlan.Create spec = node.create();
      runbook.step(
          create,
          CloudActivities.class,
          cloud ->
              cloud.createDroplet(
                  new DropletRequest(
                      dropletKey,
                      spec.name(),
                      spec.region(),
                      spec.size(),
                      spec.image(),
                      spec.vpc(),
                      spec.tags(),
                      spec.sshKeys(),
                      node.ssh().hostKey())),
          cloud -> cloud.destroyDroplet(new ResourceKey(dropletKey)));
    } else {
      runbook.notNeeded(
          create,
          node.dropletId() != null
              ? "adopting droplet " + node.dropletId()
              : "adopting the droplet tagged " + node.tag());
    }
    NodeLookup lookup =
        node.creates()
            ? new NodeLookup(null, null, dropletKey)
            : new NodeLookup(node.dropletId(), node.tag(), null);
    return runbook.check(find, TransitionActivities.class, t -> t.findNode(lookup));
  }

  private static SshTarget sshOf(DoTransitionPlan.Node node, Node droplet) {
    return node.ssh().host() != null ? node.ssh() : node.ssh().atHost(droplet.privateIp());
  }

  /** Seed phase 2's .env: the password is a reference, substituted (URL-encoded) on the worker. */
  private static EnvFileRequest envFile(
      DoTransitionPlan plan, SshTarget appHost, String weaviateUrl, String key) {
    PostgresTarget pg = plan.postgres();
    Map<String, String> values = new LinkedHashMap<>(plan.app().env());
    values.put("WEAVIATE_ENDPOINT", weaviateUrl);
    values.put(
        "POSTGRES_DSN",
        "postgresql://"
            + pg.user()
            + ":${"
            + PASSWORD_VAR
            + ":url}@"
            + pg.host()
            + ":"
            + pg.port()
            + "/"
            + pg.database());
    values.put("PYTHONPATH", plan.app().directory());
    Map<String, SecretRef> secrets = Map.of(PASSWORD_VAR, pg.password());
    return new EnvFileRequest(appHost, plan.app().directory() + "/.env", values, secrets, key);
  }

  /** The unit of seed phase 2, for this plan's app. */
  static String unitFile(DoTransitionPlan.App app) {
    String dir = app.directory();
    return String.join(
        "\n",
        "# Written by Ferry (do-transition).",
        "[Unit]",
        "Description=" + app.name() + " API",
        "After=network.target postgresql.service",
        "",
        "[Service]",
        "Type=simple",
        "User=root",
        "WorkingDirectory=" + dir,
        "EnvironmentFile=" + dir + "/.env",
        "ExecStart="
            + dir
            + "/venv/bin/python -m uvicorn "
            + app.module()
            + " --host 0.0.0.0 --port "
            + app.port(),
        "Restart=always",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
        "");
  }

  private static CollectionSpec sessionCollection() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("text", "text");
    props.put("threadId", "text");
    props.put("speaker", "text");
    props.put("domain", "text");
    props.put("timestamp", "date");
    props.put("sourceKey", "text");
    return new CollectionSpec(SESSION, true, props);
  }

  /** yyyymmdd of the workflow's clock. */
  private static String tenantOf(long millis) {
    return LocalDate.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC)
        .format(DateTimeFormatter.BASIC_ISO_DATE);
  }
}
