package io.ferry.roadmap.dotransition;

import io.ferry.plan.Checked;
import io.ferry.plan.FailurePolicy;
import io.ferry.plan.GatePolicy;
import io.ferry.plan.MemoryStoreTarget;
import io.ferry.plan.Plan;
import io.ferry.plan.PlanChecks;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One development VM's move to the two-node DigitalOcean setup. {@code
 * plans/do-transition.example.yaml} documents every field.
 *
 * @param decommissionDay the day (counted from the run's start) the soak lasts until; the source is
 *     kept running until then
 */
public record DoTransitionPlan(
    String roadmap,
    String name,
    FailurePolicy failurePolicy,
    App app,
    Source source,
    Node vectorNode,
    Node appNode,
    Weaviate weaviate,
    PostgresTarget postgres,
    MemoryStore memoryStore,
    Container mcpServer,
    NodeExporter nodeExporter,
    Thresholds thresholds,
    Watch watch,
    Archive archive,
    Backups backups,
    Integer decommissionDay,
    Map<String, GatePolicy> gates)
    implements Plan {

  public static final String ROADMAP = "do-transition";
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");
  static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");
  static final Pattern TAG = Pattern.compile("[A-Za-z0-9:_\\-]{1,255}");
  static final Pattern REL_PATH = Pattern.compile("[A-Za-z0-9._@+-][A-Za-z0-9._@+/-]{0,255}");
  static final Pattern EXCLUDE = Pattern.compile("[A-Za-z0-9._@+-]{1,128}");
  static final Pattern MODULE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*:[A-Za-z_][A-Za-z0-9_]*");
  static final Pattern URL_PATH = Pattern.compile("/[A-Za-z0-9._~%/?&=+-]{0,255}");
  static final Pattern IMAGE =
      Pattern.compile(
          "[a-z0-9][a-z0-9._/-]{0,200}(:[A-Za-z0-9._-]{1,128})?(@sha256:[0-9a-f]{64})?");
  static final Pattern VALUE = Pattern.compile("[A-Za-z0-9 ._:/@+,=-]{1,256}");
  static final Pattern VOLUME =
      Pattern.compile("/[A-Za-z0-9._@+/-]{0,255}:/[A-Za-z0-9._@+/-]{0,255}");

  public DoTransitionPlan {
    failurePolicy = failurePolicy == null ? FailurePolicy.ROLLBACK : failurePolicy;
    thresholds = thresholds == null ? Thresholds.DEFAULTS : thresholds;
    watch = watch == null ? Watch.DEFAULTS : watch;
    backups = backups == null ? Backups.DEFAULTS : backups;
    decommissionDay = decommissionDay == null ? 14 : decommissionDay;
    gates = gates == null ? Map.of() : new LinkedHashMap<>(gates);
  }

  @Override
  public void check(PlanChecks c) {
    checkCommon(c, ROADMAP, DoTransitionRoadmap.ROADMAP.gateIds());
    c.nested("app", app);
    c.nested("source", source);
    c.nested("vectorNode", vectorNode);
    c.nested("appNode", appNode);
    c.nested("weaviate", weaviate);
    c.nested("postgres", postgres);
    c.nested("memoryStore", memoryStore);
    c.nested("mcpServer", mcpServer);
    c.nested("nodeExporter", nodeExporter);
    c.optional("thresholds", thresholds);
    c.optional("watch", watch);
    c.nested("archive", archive);
    c.optional("backups", backups);
    c.range("decommissionDay", decommissionDay, 1, 90);
  }

  /**
   * The application moved: its checkout lands in {@code /opt/<name>}, run by {@code <name>-api}.
   *
   * @param module the ASGI app uvicorn serves, such as core.api.main:app
   * @param requirements the requirements file, relative to the checkout
   * @param env plain settings added to the .env file beside the ones Ferry writes
   */
  public record App(
      String name,
      Integer port,
      String module,
      String requirements,
      String healthPath,
      String sessionQueryPath,
      Map<String, String> env)
      implements Checked {
    public App {
      port = port == null ? 8080 : port;
      module = module == null ? "core.api.main:app" : module;
      requirements = requirements == null ? "requirements/base.txt" : requirements;
      healthPath = healthPath == null ? "/health" : healthPath;
      sessionQueryPath = sessionQueryPath == null ? "/api/sessions/recent" : sessionQueryPath;
      env = env == null ? Map.of() : new LinkedHashMap<>(env);
    }

    public String directory() {
      return "/opt/" + name;
    }

    public String service() {
      return name.replace('_', '-') + "-api";
    }

    @Override
    public void check(PlanChecks c) {
      if (c.required("name", name)) {
        c.matches(
            "name", name, NAME, "a lowercase name of letters, digits and _ (it names /opt/<name>)");
      }
      c.port("port", port);
      c.matches("module", module, MODULE, "a module:attribute such as core.api.main:app");
      c.matches("requirements", requirements, REL_PATH, "a path relative to the checkout");
      if (requirements != null && requirements.contains("..")) {
        c.problem("requirements", "must stay inside the checkout (no '..')");
      }
      c.matches("healthPath", healthPath, URL_PATH, "a URL path such as /health");
      c.matches("sessionQueryPath", sessionQueryPath, URL_PATH, "a URL path");
      env.forEach(
          (k, v) -> {
            c.envKey("env." + k, k);
            c.matches("env." + k, v, VALUE, "a plain, non-empty value (no quotes, $ or `)");
            if (List.of("WEAVIATE_ENDPOINT", "POSTGRES_DSN", "PYTHONPATH").contains(k)) {
              c.problem("env." + k, "is written by Ferry; leave it out");
            }
          });
    }
  }

  /**
   * The development VM being left.
   *
   * @param excludes names left out of the sync and the archive beside venv and .git
   * @param services systemd units stopped at the decommission
   * @param archiveDir where the archive is made on the source (kept there too)
   */
  public record Source(
      SshTarget ssh,
      String checkoutDir,
      List<String> excludes,
      List<String> services,
      String archiveDir)
      implements Checked {
    public Source {
      excludes = excludes == null ? List.of() : List.copyOf(excludes);
      services = services == null ? List.of() : List.copyOf(services);
      archiveDir = archiveDir == null ? "/var/tmp/ferry" : archiveDir;
    }

    @Override
    public void check(PlanChecks c) {
      c.nested("ssh", ssh);
      if (c.required("checkoutDir", checkoutDir)) {
        c.absolutePath("checkoutDir", checkoutDir);
      }
      for (int i = 0; i < excludes.size(); i++) {
        c.matches("excludes[" + i + "]", excludes.get(i), EXCLUDE, "a file or directory name");
      }
      for (int i = 0; i < services.size(); i++) {
        c.unitName("services[" + i + "]", services.get(i));
      }
      c.absolutePath("archiveDir", archiveDir);
    }
  }

  /**
   * A node: an existing droplet adopted by id or tag, or one this run creates.
   *
   * @param ssh how to reach it; {@code host} may be left out (the droplet's private address)
   */
  public record Node(Long dropletId, String tag, Create create, SshTarget ssh) implements Checked {

    public boolean creates() {
      return create != null;
    }

    @Override
    public void check(PlanChecks c) {
      int ways = (dropletId != null ? 1 : 0) + (tag != null ? 1 : 0) + (create != null ? 1 : 0);
      if (ways != 1) {
        c.problem("", "name exactly one of dropletId, tag (adopt a droplet) or create (make one)");
      }
      c.range("dropletId", dropletId, 1, 999_999_999_999L);
      c.matches("tag", tag, TAG, "a tag of letters, digits, ':', '-' and '_'");
      c.optional("create", create);
      if (c.required("ssh", ssh)) {
        ssh.checkWithoutHost(c.at("ssh"));
        c.host("ssh.host", ssh.host());
      }
    }
  }

  /** A droplet this run creates, as weaviate-first creates its vector node. */
  public record Create(
      String name,
      String region,
      String size,
      String image,
      String vpc,
      List<String> tags,
      List<String> sshKeys)
      implements Checked {
    public Create {
      region = region == null ? "sfo2" : region;
      size = size == null ? "s-4vcpu-8gb" : size;
      image = image == null ? "ubuntu-22-04-x64" : image;
      tags = tags == null ? List.of() : List.copyOf(tags);
      sshKeys = sshKeys == null ? List.of() : List.copyOf(sshKeys);
    }

    @Override
    public void check(PlanChecks c) {
      if (c.required("name", name)) {
        c.host("name", name);
      }
      c.matches("region", region, Pattern.compile("[a-z]{3}[0-9]"), "a region slug such as sfo2");
      c.matches("size", size, SLUG, "a droplet size slug such as s-4vcpu-8gb");
      c.matches("image", image, SLUG, "an image slug such as ubuntu-22-04-x64");
      c.matches("vpc", vpc, Pattern.compile("[0-9a-f-]{36}"), "a VPC UUID");
      for (int i = 0; i < tags.size(); i++) {
        c.matches("tags[" + i + "]", tags.get(i), TAG, "a tag of letters, digits, ':', '-', '_'");
      }
      for (int i = 0; i < sshKeys.size(); i++) {
        c.matches(
            "sshKeys[" + i + "]",
            sshKeys.get(i),
            Pattern.compile("[0-9a-f:]{1,64}|[0-9]{1,12}"),
            "an SSH key id or MD5 fingerprint registered with DigitalOcean");
      }
    }
  }

  /** Weaviate, already running on the vector node. */
  public record Weaviate(Integer port, SecretRef apiKey) implements Checked {
    public Weaviate {
      port = port == null ? 8080 : port;
    }

    @Override
    public void check(PlanChecks c) {
      c.port("port", port);
      c.secret("apiKey", apiKey, true);
    }
  }

  /** The memory store on the source side whose items move into Weaviate's Session collection. */
  public record MemoryStore(
      MemoryStoreTarget source, String pattern, Double maxMalformedShare, Integer batchSize)
      implements Checked {
    public MemoryStore {
      pattern = pattern == null ? "memory:*" : pattern;
      maxMalformedShare = maxMalformedShare == null ? 0.01 : maxMalformedShare;
      batchSize = batchSize == null ? 256 : batchSize;
    }

    @Override
    public void check(PlanChecks c) {
      c.nested("source", source);
      c.matches(
          "pattern",
          pattern,
          Pattern.compile("[A-Za-z0-9:_.*?\\-]{1,128}"),
          "a key pattern such as memory:*");
      c.range("maxMalformedShare", maxMalformedShare, 0, 1);
      c.range("batchSize", batchSize, 1, 10_000);
    }
  }

  /**
   * A long-running container on the app node ({@code docker run -d --network host}).
   *
   * @param volumes {@code /host/path:/container/path}
   * @param env plain values only
   */
  public record Container(String name, String image, List<String> volumes, Map<String, String> env)
      implements Checked {
    public Container {
      name = name == null ? "mcp-server" : name;
      volumes = volumes == null ? List.of() : List.copyOf(volumes);
      env = env == null ? Map.of() : new LinkedHashMap<>(env);
    }

    @Override
    public void check(PlanChecks c) {
      c.matches(
          "name", name, Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}"), "a container name");
      if (c.required("image", image)) {
        c.matches("image", image, IMAGE, "an image reference such as ghcr.io/org/mcp:1.2");
      }
      for (int i = 0; i < volumes.size(); i++) {
        c.matches("volumes[" + i + "]", volumes.get(i), VOLUME, "/host/path:/container/path");
      }
      env.forEach(
          (k, v) -> {
            c.envKey("env." + k, k);
            c.matches("env." + k, v, VALUE, "a plain, non-empty value (no quotes, $ or `)");
          });
    }
  }

  /**
   * @param tarball node_exporter-VERSION.linux-ARCH.tar.gz on the worker, uploaded (the nodes may
   *     have no internet)
   */
  public record NodeExporter(String tarball, Integer port) implements Checked {
    public NodeExporter {
      port = port == null ? 9100 : port;
    }

    @Override
    public void check(PlanChecks c) {
      if (c.required("tarball", tarball)) {
        c.absolutePath("tarball", tarball);
        if (!tarball.matches(
            ".*/node_exporter-[0-9][A-Za-z0-9.+-]*\\.linux-[a-z0-9]+\\.tar\\.gz")) {
          c.problem(
              "tarball", "must be a release tarball named node_exporter-VERSION.linux-ARCH.tar.gz");
        }
      }
      c.port("port", port);
    }
  }

  /** The validation targets of seed phase 4. */
  public record Thresholds(
      Duration sessionQuery,
      Duration weaviateP95,
      Double minTps,
      Integer pgbenchClients,
      Duration pgbenchDuration,
      Integer samples)
      implements Checked {
    public static final Thresholds DEFAULTS = new Thresholds(null, null, null, null, null, null);

    public Thresholds {
      sessionQuery = sessionQuery == null ? Duration.ofMillis(50) : sessionQuery;
      weaviateP95 = weaviateP95 == null ? Duration.ofMillis(150) : weaviateP95;
      minTps = minTps == null ? 500.0 : minTps;
      pgbenchClients = pgbenchClients == null ? 16 : pgbenchClients;
      pgbenchDuration = pgbenchDuration == null ? Duration.ofSeconds(60) : pgbenchDuration;
      samples = samples == null ? 20 : samples;
    }

    @Override
    public void check(PlanChecks c) {
      c.positive("sessionQuery", sessionQuery);
      c.positive("weaviateP95", weaviateP95);
      c.range("minTps", minTps, 0, 1_000_000);
      c.range("pgbenchClients", pgbenchClients, 1, 1000);
      c.positive("pgbenchDuration", pgbenchDuration);
      c.atMost("pgbenchDuration", pgbenchDuration, Duration.ofMinutes(30));
      c.range("samples", samples, 1, 10_000);
    }
  }

  /** What the soak watches (seed "Key Metrics to Watch") and how often it samples. */
  public record Watch(
      Duration interval,
      Double cpuPercent,
      Double memoryPercent,
      Double diskPercent,
      Duration apiLatency,
      Duration weaviateP95)
      implements Checked {
    public static final Watch DEFAULTS = new Watch(null, null, null, null, null, null);

    public Watch {
      interval = interval == null ? Duration.ofHours(6) : interval;
      cpuPercent = cpuPercent == null ? 80.0 : cpuPercent;
      memoryPercent = memoryPercent == null ? 85.0 : memoryPercent;
      diskPercent = diskPercent == null ? 70.0 : diskPercent;
      apiLatency = apiLatency == null ? Duration.ofMillis(500) : apiLatency;
      weaviateP95 = weaviateP95 == null ? Duration.ofMillis(150) : weaviateP95;
    }

    @Override
    public void check(PlanChecks c) {
      c.positive("interval", interval);
      if (interval != null && interval.compareTo(Duration.ofMinutes(5)) < 0) {
        c.problem("interval", "is shorter than 5m; sample at most every five minutes");
      }
      c.range("cpuPercent", cpuPercent, 1, 100);
      c.range("memoryPercent", memoryPercent, 1, 100);
      c.range("diskPercent", diskPercent, 1, 100);
      c.positive("apiLatency", apiLatency);
      c.positive("weaviateP95", weaviateP95);
    }
  }

  /**
   * Where the source's final archive goes: DigitalOcean Spaces (or any S3 API).
   *
   * @param endpoint such as https://fra1.digitaloceanspaces.com
   * @param localDir where the worker keeps its copy
   */
  public record Archive(
      String endpoint,
      String region,
      String bucket,
      String prefix,
      SecretRef accessKey,
      SecretRef secretKey,
      String localDir)
      implements Checked {
    public Archive {
      region = region == null ? "us-east-1" : region;
      prefix = prefix == null ? "" : prefix;
      localDir = localDir == null ? "/var/lib/ferry/archives" : localDir;
    }

    @Override
    public void check(PlanChecks c) {
      c.bucket(endpoint, region, bucket, prefix, accessKey, secretKey, "archives/");
      c.absolutePath("localDir", localDir);
    }
  }

  /**
   * The nightly backups of the seed's "Next Steps", as crontab lines on the app node.
   *
   * @param postgresAt cron schedule of {@code pg_dump DATABASE | gzip} into {@code directory}
   * @param weaviateAt cron schedule of the API's Weaviate backup call ({@code POST weaviatePath})
   */
  public record Backups(String directory, String postgresAt, String weaviateAt, String weaviatePath)
      implements Checked {
    public static final Backups DEFAULTS = new Backups(null, null, null, null);
    static final Pattern CRON =
        Pattern.compile("([0-9*/,-]+ ){4}[0-9*/,-]+|@(daily|weekly|hourly|midnight)");

    public Backups {
      directory = directory == null ? "/backups" : directory;
      postgresAt = postgresAt == null ? "0 2 * * *" : postgresAt;
      weaviateAt = weaviateAt == null ? "0 3 * * *" : weaviateAt;
      weaviatePath = weaviatePath == null ? "/api/backup/weaviate" : weaviatePath;
    }

    @Override
    public void check(PlanChecks c) {
      c.absolutePath("directory", directory);
      c.matches("postgresAt", postgresAt, CRON, "a cron schedule such as 0 2 * * *");
      c.matches("weaviateAt", weaviateAt, CRON, "a cron schedule such as 0 3 * * *");
      c.matches("weaviatePath", weaviatePath, URL_PATH, "a URL path such as /api/backup/weaviate");
    }
  }
}
