package io.ferry.roadmap.weaviatefirst;

import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.APPROVE_PURGE;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.BACKUP_DATABASE;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.BACKUP_MEMORY_KEYS;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.CONFIRM_APP_RELEASE;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.COPY_STRUCTURED;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.CREATE_COLLECTIONS;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.CREATE_FIREWALL;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.CREATE_MICRO_CACHE_DROPLET;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.CREATE_VECTOR_DROPLET;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.CREATE_VOLUME;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.DNS_CUTOVER;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.ENABLE_MICRO_CACHE;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.ENSURE_DATABASE;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.LAUNCH_MICRO_CACHE;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.LAUNCH_WEAVIATE;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.MEASURE_CHAT_LATENCY;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.MIGRATE_MEMORY;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.PROBE_NL_QUERY;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.PROBE_POSTGRES_TPS;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.PROBE_QUERY_P95;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.PROBE_WEAVIATE_READY;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.PURGE_MEMORY_KEYS;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.SOAK_WEEK;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.SWITCH_APP_CONFIG;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.VERIFY_COUNTS;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.WAIT_DROPLET_ACTIVE;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.WAIT_MICRO_CACHE_ACTIVE;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.WAIT_WEAVIATE_READY;

import io.ferry.contract.CloudActivities;
import io.ferry.contract.CloudActivities.Droplet;
import io.ferry.contract.CloudActivities.DropletRequest;
import io.ferry.contract.CloudActivities.FirewallRequest;
import io.ferry.contract.CloudActivities.ResourceKey;
import io.ferry.contract.CloudActivities.VolumeRequest;
import io.ferry.contract.DataActivities;
import io.ferry.contract.DataActivities.Backup;
import io.ferry.contract.DataActivities.BackupRequest;
import io.ferry.contract.DataActivities.CollectionSpec;
import io.ferry.contract.DataActivities.CollectionsDrop;
import io.ferry.contract.DataActivities.CollectionsRequest;
import io.ferry.contract.DataActivities.CopyReport;
import io.ferry.contract.DataActivities.CountCheckRequest;
import io.ferry.contract.DataActivities.DatabaseDrop;
import io.ferry.contract.DataActivities.DatabaseRequest;
import io.ferry.contract.DataActivities.MemoryMigration;
import io.ferry.contract.DataActivities.MigrationReport;
import io.ferry.contract.DataActivities.PurgeRequest;
import io.ferry.contract.DataActivities.StructuredCopy;
import io.ferry.contract.DataActivities.TableCopySpec;
import io.ferry.contract.HostActivities;
import io.ferry.contract.HostActivities.ComposeProject;
import io.ferry.contract.HostActivities.ComposeRef;
import io.ferry.contract.HostActivities.ConfigChange;
import io.ferry.contract.HostActivities.ConfigRestore;
import io.ferry.contract.ProbeActivities;
import io.ferry.contract.ProbeActivities.HttpProbe;
import io.ferry.contract.ProbeActivities.Measurement;
import io.ferry.contract.ProbeActivities.PgbenchRequest;
import io.ferry.contract.ProbeActivities.VectorQueryProbe;
import io.ferry.contract.ProbeActivities.WeaviateReady;
import io.ferry.plan.Durations;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SshTarget;
import io.ferry.plan.WeaviateTarget;
import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookWorkflow;
import io.ferry.runbook.StepDef;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The weaviate-first checklist; each call below is one line of DESIGN's table. */
public class WeaviateFirstWorkflowImpl extends RunbookWorkflow implements WeaviateFirstWorkflow {

  static final String WEAVIATE_DIR = "/opt/ferry/weaviate";
  static final String MICRO_CACHE_DIR = "/opt/ferry/micro-cache";
  static final String SESSION = "Session";
  static final List<CollectionSpec> COLLECTIONS =
      List.of(
          new CollectionSpec(
              "Personal",
              false,
              props("text", "text", "owner", "text", "tags", "text[]", "timestamp", "date")),
          new CollectionSpec(
              "PayReady",
              false,
              props("text", "text", "tenantId", "text", "unitNumber", "text", "status", "text")),
          new CollectionSpec(
              "ParagonRX",
              false,
              props("text", "text", "trialId", "text", "patientId", "text", "phase", "text")),
          new CollectionSpec(
              SESSION,
              true,
              props(
                  "text",
                  "text",
                  "threadId",
                  "text",
                  "speaker",
                  "text",
                  "domain",
                  "text",
                  "timestamp",
                  "date",
                  "sourceKey",
                  "text")));

  @WorkflowInit
  public WeaviateFirstWorkflowImpl(WeaviateFirstPlan plan) {
    super(WeaviateFirstPlan.ROADMAP, plan, WeaviateFirstSteps.ALL);
  }

  @Override
  public RunbookResult migrate(WeaviateFirstPlan plan) {
    return runbook.run(() -> checklist(plan));
  }

  private void checklist(WeaviateFirstPlan plan) {
    WeaviateFirstPlan.VectorNode node = plan.vectorNode();
    String dropletKey = key(CREATE_VECTOR_DROPLET);

    // provision
    runbook.step(
        CREATE_VECTOR_DROPLET,
        CloudActivities.class,
        cloud ->
            cloud.createDroplet(
                new DropletRequest(
                    dropletKey,
                    node.name(),
                    plan.region(),
                    node.size(),
                    node.image(),
                    plan.vpc(),
                    node.tags(),
                    node.sshKeys(),
                    node.ssh().hostKey())),
        cloud -> cloud.destroyDroplet(new ResourceKey(dropletKey)));
    runbook.step(
        CREATE_VOLUME,
        CloudActivities.class,
        cloud ->
            cloud.createVolume(
                new VolumeRequest(
                    key(CREATE_VOLUME),
                    node.name() + "-data",
                    plan.region(),
                    node.volumeGb(),
                    dropletKey)),
        cloud -> cloud.deleteVolume(new ResourceKey(key(CREATE_VOLUME))));
    runbook.step(
        CREATE_FIREWALL,
        CloudActivities.class,
        cloud ->
            cloud.createFirewall(
                new FirewallRequest(
                    key(CREATE_FIREWALL),
                    node.name() + "-firewall",
                    dropletKey,
                    List.of(22, plan.weaviate().port(), 50051),
                    node.allowFrom())),
        cloud -> cloud.deleteFirewall(new ResourceKey(key(CREATE_FIREWALL))));
    Droplet droplet =
        runbook.check(
            WAIT_DROPLET_ACTIVE,
            CloudActivities.class,
            cloud -> cloud.waitDropletActive(new ResourceKey(dropletKey)));

    // vector-store
    SshTarget vectorHost = node.ssh().atHost(droplet.privateIp());
    WeaviateTarget weaviate =
        new WeaviateTarget(
            "http://" + droplet.privateIp() + ":" + plan.weaviate().port(),
            plan.weaviate().apiKey());
    ComposeRef weaviateProject = new ComposeRef(vectorHost, WEAVIATE_DIR, "weaviate");
    runbook.step(
        LAUNCH_WEAVIATE,
        HostActivities.class,
        host ->
            host.composeUp(
                new ComposeProject(
                    vectorHost,
                    WEAVIATE_DIR,
                    "weaviate",
                    weaviateCompose(plan.weaviate()),
                    Map.of("WEAVIATE_API_KEY", plan.weaviate().apiKey()))),
        host -> host.composeDown(weaviateProject));
    runbook.check(
        WAIT_WEAVIATE_READY,
        ProbeActivities.class,
        probe -> probe.weaviateReady(new WeaviateReady(weaviate, null, Duration.ofMinutes(10))));
    PostgresTarget postgres = plan.postgres();
    runbook.step(
        ENSURE_DATABASE,
        DataActivities.class,
        data ->
            data.ensureDatabase(
                new DatabaseRequest(
                    postgres, postgres.database(), List.of("vector"), key(ENSURE_DATABASE))),
        data ->
            data.dropDatabaseIfCreated(
                new DatabaseDrop(postgres, postgres.database(), key(ENSURE_DATABASE))));
    runbook.step(
        CREATE_COLLECTIONS,
        DataActivities.class,
        data ->
            data.createCollections(
                new CollectionsRequest(weaviate, COLLECTIONS, key(CREATE_COLLECTIONS))),
        data ->
            data.deleteCreatedCollections(
                new CollectionsDrop(
                    weaviate,
                    COLLECTIONS.stream().map(CollectionSpec::name).toList(),
                    key(CREATE_COLLECTIONS))));

    // migrate
    WeaviateFirstPlan.MemoryStore store = plan.memoryStore();
    Backup backup =
        runbook.check(
            BACKUP_MEMORY_KEYS,
            DataActivities.class,
            data ->
                data.backupKeys(
                    new BackupRequest(
                        store.source(),
                        store.pattern(),
                        store.backupDir(),
                        key(BACKUP_MEMORY_KEYS))));
    BucketBackups bucketBackups = new BucketBackups(runbook, plan);
    bucketBackups.storeMemoryBackup(backup);
    MemoryMigration migration =
        new MemoryMigration(
            store.source(),
            store.pattern(),
            weaviate,
            SESSION,
            tenantOfToday(),
            store.batchSize(),
            store.maxMalformedShare(),
            key(MIGRATE_MEMORY));
    MigrationReport migrated =
        runbook.step(
            MIGRATE_MEMORY,
            DataActivities.class,
            data -> data.migrateMemory(migration),
            data -> data.deleteMigratedMemory(migration));
    StructuredCopy copy =
        new StructuredCopy(
            store.source(),
            postgres,
            store.structured().stream()
                .map(t -> new TableCopySpec(t.pattern(), t.table(), t.columns()))
                .toList(),
            key(COPY_STRUCTURED));
    CopyReport copied =
        runbook.step(
            COPY_STRUCTURED,
            DataActivities.class,
            data -> data.copyStructured(copy),
            data -> data.dropCopiedTables(copy));
    runbook.check(
        VERIFY_COUNTS,
        DataActivities.class,
        data ->
            data.verifyCounts(
                new CountCheckRequest(
                    migrated, copied, weaviate, SESSION, migration.tenant(), postgres)));
    bucketBackups.backupDatabase(key(BACKUP_DATABASE));

    // switch
    runbook.manual(CONFIRM_APP_RELEASE);
    Map<String, String> settings = new LinkedHashMap<>(plan.app().settings());
    settings.put("WEAVIATE_ENDPOINT", weaviate.url());
    settings.put(
        "POSTGRES_DSN",
        "postgresql://"
            + postgres.user()
            + "@"
            + postgres.host()
            + ":"
            + postgres.port()
            + "/"
            + postgres.database());
    switchConfig(SWITCH_APP_CONFIG, plan, settings);

    // validate
    WeaviateFirstPlan.Thresholds limits = plan.thresholds();
    runbook.check(
        PROBE_WEAVIATE_READY,
        ProbeActivities.class,
        probe ->
            probe.weaviateReady(
                new WeaviateReady(weaviate, limits.weaviateReady(), Duration.ofMinutes(1))));
    runbook.check(
        PROBE_POSTGRES_TPS,
        ProbeActivities.class,
        probe ->
            probe.pgbench(
                new PgbenchRequest(
                    plan.appNode(),
                    postgres,
                    limits.pgbenchClients(),
                    limits.pgbenchDuration(),
                    limits.minTps())));
    runbook.check(
        PROBE_QUERY_P95,
        ProbeActivities.class,
        probe ->
            probe.vectorQuery(
                new VectorQueryProbe(
                    weaviate, SESSION, plan.probes().samples(), limits.queryP95())));
    runbook.check(
        PROBE_NL_QUERY,
        ProbeActivities.class,
        probe -> probe.http(new HttpProbe(plan.probes().nlQueryUrl(), 200, 3, limits.nlQuery())));
    Measurement chat =
        runbook.check(
            MEASURE_CHAT_LATENCY,
            ProbeActivities.class,
            probe ->
                probe.http(
                    new HttpProbe(plan.probes().chatUrl(), 200, plan.probes().samples(), null)));
    microCache(plan, chat);

    // cutover: gate, read the records, switch them
    DNS_CUTOVER.run(runbook, plan.dns(), plan.dns().target());

    // soak, then the purge behind its gate
    runbook.soak(SOAK_WEEK, plan.soak());
    runbook.gate(APPROVE_PURGE);
    runbook.irreversible(
        PURGE_MEMORY_KEYS,
        DataActivities.class,
        data -> data.purgeKeys(new PurgeRequest(migration, backup)));
  }

  /** Seed section 1: a Dragonfly micro-cache only when chat p95 is above the threshold. */
  private void microCache(WeaviateFirstPlan plan, Measurement chat) {
    List<StepDef> cacheSteps =
        List.of(
            CREATE_MICRO_CACHE_DROPLET,
            WAIT_MICRO_CACHE_ACTIVE,
            LAUNCH_MICRO_CACHE,
            ENABLE_MICRO_CACHE);
    long limitMs = plan.thresholds().microCacheAbove().toMillis();
    if (chat == null || chat.value() <= limitMs) {
      String why =
          chat == null
              ? "chat latency was not measured (step skipped)"
              : "chat p95 "
                  + Math.round(chat.value())
                  + " ms is within "
                  + Durations.format(plan.thresholds().microCacheAbove());
      cacheSteps.forEach(step -> runbook.notNeeded(step, why));
      return;
    }
    WeaviateFirstPlan.MicroCache cache = plan.microCache();
    String cacheKey = key(CREATE_MICRO_CACHE_DROPLET);
    runbook.step(
        CREATE_MICRO_CACHE_DROPLET,
        CloudActivities.class,
        cloud ->
            cloud.createDroplet(
                new DropletRequest(
                    cacheKey,
                    plan.vectorNode().name() + "-cache",
                    plan.region(),
                    cache.size(),
                    cache.image(),
                    plan.vpc(),
                    plan.vectorNode().tags(),
                    plan.vectorNode().sshKeys(),
                    plan.vectorNode().ssh().hostKey())),
        cloud -> cloud.destroyDroplet(new ResourceKey(cacheKey)));
    Droplet cacheDroplet =
        runbook.check(
            WAIT_MICRO_CACHE_ACTIVE,
            CloudActivities.class,
            cloud -> cloud.waitDropletActive(new ResourceKey(cacheKey)));
    SshTarget cacheHost = plan.vectorNode().ssh().atHost(cacheDroplet.privateIp());
    runbook.step(
        LAUNCH_MICRO_CACHE,
        HostActivities.class,
        host ->
            host.composeUp(
                new ComposeProject(
                    cacheHost, MICRO_CACHE_DIR, "micro-cache", dragonflyCompose(cache), Map.of())),
        host -> host.composeDown(new ComposeRef(cacheHost, MICRO_CACHE_DIR, "micro-cache")));
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("ENABLE_MICRO_CACHE", "true");
    settings.put("MICRO_CACHE_URL", "redis://" + cacheDroplet.privateIp() + ":6379/0");
    switchConfig(ENABLE_MICRO_CACHE, plan, settings);
  }

  private void switchConfig(StepDef step, WeaviateFirstPlan plan, Map<String, String> settings) {
    WeaviateFirstPlan.App app = plan.app();
    runbook.step(
        step,
        HostActivities.class,
        host ->
            host.switchConfig(
                new ConfigChange(
                    plan.appNode(), app.configFile(), settings, app.service(), key(step))),
        host ->
            host.restoreConfig(
                new ConfigRestore(plan.appNode(), app.configFile(), app.service(), key(step))));
  }

  /** Seed section 3: short-lived chat data lives in tenant yyyymmdd. */
  private static String tenantOfToday() {
    return LocalDate.ofInstant(Instant.ofEpochMilli(Workflow.currentTimeMillis()), ZoneOffset.UTC)
        .format(DateTimeFormatter.BASIC_ISO_DATE);
  }

  static String weaviateCompose(WeaviateFirstPlan.Weaviate weaviate) {
    return String.join(
        "\n",
        "# Written by Ferry (weaviate-first). Vectors come from the migration's MiniLM embedder.",
        "services:",
        "  weaviate:",
        "    image: cr.weaviate.io/semitechnologies/weaviate:" + weaviate.version(),
        "    command: [\"--host\", \"0.0.0.0\", \"--port\", \"8080\", \"--scheme\", \"http\"]",
        "    restart: unless-stopped",
        "    ports:",
        "      - \"" + weaviate.port() + ":8080\"",
        "      - \"50051:50051\"",
        "    volumes:",
        "      - " + weaviate.dataDir() + ":/var/lib/weaviate",
        "    environment:",
        "      PERSISTENCE_DATA_PATH: /var/lib/weaviate",
        "      QUERY_DEFAULTS_LIMIT: \"25\"",
        "      DEFAULT_VECTORIZER_MODULE: none",
        "      ENABLE_MODULES: \"\"",
        "      CLUSTER_HOSTNAME: node1",
        "      AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED: \"false\"",
        "      AUTHENTICATION_APIKEY_ENABLED: \"true\"",
        "      AUTHENTICATION_APIKEY_ALLOWED_KEYS: ${WEAVIATE_API_KEY}",
        "      AUTHENTICATION_APIKEY_USERS: ferry",
        "");
  }

  static String dragonflyCompose(WeaviateFirstPlan.MicroCache cache) {
    return String.join(
        "\n",
        "# Written by Ferry (weaviate-first): the optional chat micro-cache.",
        "services:",
        "  dragonfly:",
        "    image: docker.dragonflydb.io/dragonflydb/dragonfly:" + cache.dragonflyVersion(),
        "    command: [\"--cache_mode=true\", \"--maxmemory=768mb\"]",
        "    restart: unless-stopped",
        "    ulimits:",
        "      memlock: -1",
        "    ports:",
        "      - \"6379:6379\"",
        "");
  }

  private static Map<String, String> props(String... nameTypePairs) {
    Map<String, String> props = new LinkedHashMap<>();
    for (int i = 0; i < nameTypePairs.length; i += 2) {
      props.put(nameTypePairs[i], nameTypePairs[i + 1]);
    }
    return props;
  }
}
