package io.ferry.activities.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.plan.PostgresTarget;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state every simulated adapter shares: the ledger, id counters, and the adapters themselves so
 * they can see each other (Weaviate is ready only once a compose project runs it on its host).
 * Adapters synchronise on the world, so each port call is atomic. Its public methods are what a
 * roadmap's {@link SimSeed} uses to build the world its plan expects and to turn its knobs.
 */
public final class SimWorld {

  final Ledger ledger = new Ledger();
  private final AtomicLong ids = new AtomicLong(1000);
  private final AtomicLong recordIds = new AtomicLong(5000);

  final SimCompute compute = new SimCompute(this);
  final SimDns dns = new SimDns(this);
  final SimHosts hosts = new SimHosts(this);
  final SimHostFiles hostFiles = new SimHostFiles(this);
  final SimServices services = new SimServices(this);
  final SimCompose compose = new SimCompose(this);
  final SimContainers containers = new SimContainers(this);
  final SimHostLogs hostLogs = new SimHostLogs(this);
  final SimPgDump pgDumps = new SimPgDump(this);
  final SimPostgres postgres = new SimPostgres(this);
  final SimWeaviate weaviate = new SimWeaviate(this);
  final SimMemoryStore memory = new SimMemoryStore(this);
  final SimEmbedder embedder = new SimEmbedder();
  final SimBackupStore backups = new SimBackupStore(this);
  final SimHttp http = new SimHttp();
  final SimApps apps = new SimApps(this);
  final SimRegistry registry = new SimRegistry(this);
  final SimManagedDatabases clusters = new SimManagedDatabases(this, java.time.Clock.systemUTC());
  final SimWorkerFiles workerFiles = new SimWorkerFiles(this);
  final SimK3sWorld k3sWorld = new SimK3sWorld(this);
  final SimFileTrees fileTrees = new SimFileTrees(this);
  final SimSystemd systemd = new SimSystemd(this);
  final SimDocker docker = new SimDocker(this);
  final SimPythonEnvs pythonEnvs = new SimPythonEnvs(this);
  final SimPsql psql = new SimPsql(this);
  final SimObjectStore objectStore = new SimObjectStore(this);
  final SimNodeMetrics nodeMetrics = new SimNodeMetrics();
  final SimCrontab crontab = new SimCrontab(this);
  final SimEdge edge = new SimEdge(this);
  final SimReplication replication = new SimReplication(this);
  final SimNodeHost nodeHost = new SimNodeHost(this);
  final SimStandby standbys = new SimStandby(this);

  SimWorld() {}

  /** Droplet, volume and firewall ids: 1001, 1002, ... in creation order. */
  long nextId() {
    return ids.incrementAndGet();
  }

  long nextRecordId() {
    return recordIds.incrementAndGet();
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // What seeds use: the state a plan expects to find, and the conditions knobs set.

  /** The hosts, cluster, repository, Swarm, edge and probe target of a move to K3s. */
  public SimK3sWorld k3s() {
    return k3sWorld;
  }

  /** A running droplet, as if created before Ferry. */
  public void seedDroplet(long id, String name, String publicIp) {
    compute.seedDroplet(id, name, publicIp);
  }

  /** A running droplet carrying {@code tag} (when not null), as if created before Ferry. */
  public void seedDroplet(long id, String name, String publicIp, String tag) {
    compute.seedDroplet(id, name, publicIp, tag);
  }

  /** An app node with its config file and running service. */
  public void seedAppNode(String host, String configFile, String configContent, String service) {
    hosts.seedAppNode(host, configFile, configContent, service);
  }

  /** The app node's config file as an app using the memory store and PostgreSQL has it. */
  public static String defaultAppConfig(String memoryStoreUrl, String postgresHost) {
    return SimHosts.defaultAppConfig(memoryStoreUrl, postgresHost);
  }

  /** A user's crontab on a host (the login user's when {@code user} is null), unless it has one. */
  public void seedCrontab(io.ferry.plan.SshTarget host, String user, String content) {
    crontab.seed(host, user, content);
  }

  /** The host's {@code nginx -t} fails with {@code message} from now on (null: it passes). */
  public void refuseEdgeConfig(String host, String message) {
    edge.refuse(host, message);
  }

  /** Every standby's replay lag from now on. */
  public void setReplicationLag(Duration lag) {
    replication.setLag(lag);
  }

  /** A PostgreSQL primary with these replication settings. */
  public void seedReplicationPrimary(
      PostgresTarget primary, String walLevel, int maxWalSenders, int maxReplicationSlots) {
    replication.seedPrimary(primary, walLevel, maxWalSenders, maxReplicationSlots);
  }

  /** A service running on the host and listening on {@code port}. */
  public void seedListener(io.ferry.plan.SshTarget host, String unit, int port) {
    nodeHost.seedListener(host, unit, port);
  }

  /** A file on the worker, such as the app spec a plan names. */
  public void seedWorkerFile(String path, String text) {
    workerFiles.seed(path, text);
  }

  /** A container registry holding these repositories, each with one tag. */
  public void seedRegistry(String registry, Map<String, String> repositoryTags) {
    this.registry.seed(registry, repositoryTags);
  }

  /** An App Platform app running this spec. */
  public void seedApp(ObjectNode spec) {
    apps.seed(spec);
  }

  /** A PostgreSQL server with its default databases. */
  public void seedPostgres(PostgresTarget target) {
    postgres.seed(target);
  }

  /** A database on a seeded server, unless it is there already. */
  public void seedDatabase(PostgresTarget target, String database, String comment) {
    if (postgres.database(target, database).isEmpty()) {
      postgres.createDatabase(target, database, comment);
    }
  }

  /** A managed database cluster. */
  public void seedCluster(String id, String name, String engine) {
    clusters.seed(id, name, engine);
  }

  /** Keys whose values are hashes of these columns, stored under a key pattern. */
  public record StructuredKeys(String pattern, List<String> columns) {}

  /** A memory store with {@code items} memory items, a few malformed, and structured keys. */
  public void seedMemoryStore(String url, List<StructuredKeys> structured, int items) {
    memory.seed(
        url,
        structured.stream()
            .map(k -> new SimMemoryStore.Structured(k.pattern(), k.columns()))
            .toList(),
        items);
  }

  /** The number of memory items that keeps the few malformed ones within {@code maxShare}. */
  public static int memoryItemsWithin(double maxShare) {
    return SimMemoryStore.itemsWithin(maxShare);
  }

  /** DNS records of a domain, each {@code {name, type}}, pointing at a seeded address. */
  public void seedDns(String domain, Collection<String[]> namesAndTypes) {
    dns.seed(domain, namesAndTypes);
  }

  /** The private address of a seeded droplet. */
  public String privateIpOf(long dropletId) {
    return compute.droplet(dropletId).orElseThrow().privateIp();
  }

  /** Files under {@code dir} on a host, as found before the run (a checkout). */
  public void seedTree(String host, String dir, Map<String, String> files) {
    fileTrees.seedTree(host, dir, files);
  }

  /** A running systemd service on a host, as found before the run. */
  public void seedService(String host, String service) {
    synchronized (this) {
      SimHosts.Host h = hosts.seedHost(host);
      if (!h.services.containsKey(service)) {
        hosts.putService(h, service, "active");
      }
    }
  }

  /** A compose project running these images on a host (Weaviate on a vector node). */
  public void seedComposeProject(String host, String directory, String project, String image) {
    synchronized (this) {
      SimHosts.Host h = hosts.seedHost(host);
      if (h.projects.containsKey(project)) {
        return;
      }
      h.projects.put(project, new SimHosts.Project(directory, List.of(project), List.of(image)));
      Map<String, String> a = new java.util.LinkedHashMap<>();
      a.put("directory", directory);
      a.put("services", project);
      a.put("images", image);
      a.put("state", "running");
      ledger.put(new Resource("compose", host + ":" + project, a));
    }
  }

  /** A PostgreSQL role on a host that {@code psql -l} lists these databases for. */
  public void seedPsqlRole(String host, String role, List<String> databases) {
    psql.seed(host, role, databases);
  }

  /** An object store bucket. */
  public void seedBucket(String name) {
    objectStore.seedBucket(name);
  }

  /** Makes every node exporter report {@code metric} (cpu, memory or disk) at this percentage. */
  public void setNodeMetric(String metric, double percent) {
    nodeMetrics.set(metric, percent);
  }

  /** Makes GETs of URLs starting with {@code urlPrefix} take {@code p95}. */
  public void setHttpLatency(String urlPrefix, Duration p95) {
    http.setLatency(urlPrefix, p95);
  }

  /** Makes GETs of URLs starting with {@code urlPrefix} answer with {@code status}. */
  public void setHttpStatus(String urlPrefix, int status) {
    http.setStatus(urlPrefix, status);
  }
}
