package io.ferry.roadmap.weaviatefirst;

import io.ferry.plan.Approvals;
import io.ferry.plan.Checked;
import io.ferry.plan.FailurePolicy;
import io.ferry.plan.GatePolicy;
import io.ferry.plan.MemoryStoreTarget;
import io.ferry.plan.Notifications;
import io.ferry.plan.Plan;
import io.ferry.plan.PlanChecks;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import io.ferry.roadmap.common.DnsPlan;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One environment's weaviate-first migration. {@code plans/weaviate-first.example.yaml} documents
 * every field.
 */
public record WeaviateFirstPlan(
    String roadmap,
    String name,
    FailurePolicy failurePolicy,
    String region,
    String vpc,
    VectorNode vectorNode,
    SshTarget appNode,
    App app,
    Weaviate weaviate,
    PostgresTarget postgres,
    MemoryStore memoryStore,
    Thresholds thresholds,
    Probes probes,
    MicroCache microCache,
    DnsPlan dns,
    Map<String, GatePolicy> gates,
    Duration soak,
    Approvals approvals,
    Notifications notifications,
    BackupStore backupStore)
    implements Plan {

  public static final String ROADMAP = "weaviate-first";
  private static final Pattern REGION = Pattern.compile("[a-z]{3}[0-9]");
  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9:_\\-]{1,255}");
  private static final Pattern SETTING_VALUE = Pattern.compile("[A-Za-z0-9 ._:/@+,=-]{0,256}");
  private static final Pattern COLUMN = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Pattern KEY_PATTERN = Pattern.compile("[A-Za-z0-9:_.*?\\-]{1,128}");
  private static final Pattern VERSION = Pattern.compile("v?[0-9]+\\.[0-9]+(\\.[0-9]+)?");

  public WeaviateFirstPlan {
    failurePolicy = failurePolicy == null ? FailurePolicy.ROLLBACK : failurePolicy;
    region = region == null ? "sfo2" : region;
    thresholds = thresholds == null ? Thresholds.DEFAULTS : thresholds;
    microCache = microCache == null ? MicroCache.DEFAULTS : microCache;
    gates = gates == null ? Map.of() : new LinkedHashMap<>(gates);
    approvals = approvals == null ? Approvals.DEFAULTS : approvals;
    soak = soak == null ? Duration.ofDays(7) : soak;
    dns = dns == null ? null : dns.withDefaults("A", 900);
  }

  @Override
  public void check(PlanChecks c) {
    checkCommon(c, ROADMAP, WeaviateFirstRoadmap.ROADMAP.gateIds());
    c.matches("region", region, REGION, "a DigitalOcean region slug such as sfo2");
    c.matches("vpc", vpc, Pattern.compile("[0-9a-f-]{36}"), "a VPC UUID");
    c.nested("vectorNode", vectorNode);
    c.nested("appNode", appNode);
    c.nested("app", app);
    c.nested("weaviate", weaviate);
    c.nested("postgres", postgres);
    c.nested("memoryStore", memoryStore);
    c.optional("thresholds", thresholds);
    c.nested("probes", probes);
    c.optional("microCache", microCache);
    c.nested("dns", dns);
    if (dns != null) {
      dns.checkTargetGiven(c.at("dns"));
    }
    c.optional("backupStore", backupStore);
    c.positive("soak", soak);
    c.atMost("soak", soak, Duration.ofDays(90));
  }

  /**
   * The new vector + storage node.
   *
   * @param volumeGb block storage for Weaviate's data, attached to the droplet
   * @param allowFrom address ranges allowed to reach Weaviate and SSH
   */
  public record VectorNode(
      String name,
      String size,
      String image,
      Integer volumeGb,
      List<String> tags,
      List<String> sshKeys,
      List<String> allowFrom,
      SshTarget ssh)
      implements Checked {
    public VectorNode {
      size = size == null ? "s-4vcpu-8gb" : size;
      image = image == null ? "ubuntu-22-04-x64" : image;
      volumeGb = volumeGb == null ? 160 : volumeGb;
      tags = tags == null ? List.of() : List.copyOf(tags);
      sshKeys = sshKeys == null ? List.of() : List.copyOf(sshKeys);
      allowFrom = allowFrom == null ? List.of("10.120.0.0/16") : List.copyOf(allowFrom);
    }

    @Override
    public void check(PlanChecks c) {
      if (c.required("name", name)) {
        c.host("name", name);
      }
      c.matches("size", size, SLUG, "a droplet size slug such as s-4vcpu-8gb");
      c.matches("image", image, SLUG, "an image slug such as ubuntu-22-04-x64");
      c.range("volumeGb", volumeGb, 1, 16384);
      for (int i = 0; i < tags.size(); i++) {
        c.matches(
            "tags[" + i + "]", tags.get(i), TAG, "a tag of letters, digits, ':', '-' and '_'");
      }
      for (int i = 0; i < sshKeys.size(); i++) {
        c.matches(
            "sshKeys[" + i + "]",
            sshKeys.get(i),
            Pattern.compile("[0-9a-f:]{1,64}|[0-9]{1,12}"),
            "an SSH key id or MD5 fingerprint registered with DigitalOcean");
      }
      for (int i = 0; i < allowFrom.size(); i++) {
        c.cidr("allowFrom[" + i + "]", allowFrom.get(i));
      }
      if (c.required("ssh", ssh)) {
        if (ssh.host() != null) {
          c.problem(
              "ssh.host", "must be left out: the address comes from the droplet this run creates");
        }
        ssh.checkWithoutHost(c.at("ssh"));
      }
    }
  }

  /**
   * The application on the app node that switches from the memory store to Weaviate.
   *
   * @param configFile its environment file, rewritten in place (the previous one is kept)
   * @param service the systemd unit restarted after the switch
   * @param settings the settings written by the switch (defaults: the seed's use_weaviate on,
   *     dragonfly off)
   */
  public record App(String configFile, String service, Map<String, String> settings)
      implements Checked {
    public App {
      settings =
          settings == null
              ? Map.of(
                  "USE_WEAVIATE", "true", "USE_DRAGONFLY", "false", "ENABLE_MICRO_CACHE", "false")
              : new LinkedHashMap<>(settings);
    }

    @Override
    public void check(PlanChecks c) {
      if (c.required("configFile", configFile)) {
        c.absolutePath("configFile", configFile);
      }
      if (c.required("service", service)) {
        c.unitName("service", service);
      }
      settings.forEach(
          (k, v) -> {
            c.envKey("settings." + k, k);
            c.matches("settings." + k, v, SETTING_VALUE, "a plain value (no quotes, $ or `)");
          });
    }
  }

  /** Weaviate on the vector node. */
  public record Weaviate(String version, Integer port, SecretRef apiKey, String dataDir)
      implements Checked {
    public Weaviate {
      version = version == null ? "1.30.0" : version;
      port = port == null ? 8080 : port;
      dataDir = dataDir == null ? "/mnt/weaviate" : dataDir;
    }

    @Override
    public void check(PlanChecks c) {
      c.matches("version", version, VERSION, "a Weaviate version such as 1.30.0");
      c.port("port", port);
      c.secret("apiKey", apiKey, true);
      c.absolutePath("dataDir", dataDir);
    }
  }

  /**
   * The memory store being retired.
   *
   * @param pattern keys holding memory items (JSON), migrated to Weaviate
   * @param maxMalformedShare the share of malformed values above which the migration fails
   * @param structured hash keys copied to PostgreSQL tables
   * @param backupDir where the backup of migrated keys is written on the worker (retained)
   */
  public record MemoryStore(
      MemoryStoreTarget source,
      String pattern,
      Double maxMalformedShare,
      Integer batchSize,
      List<TableCopy> structured,
      String backupDir)
      implements Checked {
    public MemoryStore {
      pattern = pattern == null ? "memory:*" : pattern;
      maxMalformedShare = maxMalformedShare == null ? 0.01 : maxMalformedShare;
      batchSize = batchSize == null ? 256 : batchSize;
      structured = structured == null ? List.of() : List.copyOf(structured);
      backupDir = backupDir == null ? "/var/backups/ferry" : backupDir;
    }

    @Override
    public void check(PlanChecks c) {
      c.nested("source", source);
      c.matches("pattern", pattern, KEY_PATTERN, "a key pattern such as memory:*");
      c.range("maxMalformedShare", maxMalformedShare, 0, 1);
      c.range("batchSize", batchSize, 1, 10_000);
      c.each("structured", structured);
      c.absolutePath("backupDir", backupDir);
    }
  }

  /** Hash keys matching {@code pattern} become rows of {@code table}, one column per field. */
  public record TableCopy(String pattern, String table, List<String> columns) implements Checked {
    public TableCopy {
      columns = columns == null ? List.of() : List.copyOf(columns);
    }

    @Override
    public void check(PlanChecks c) {
      if (c.required("pattern", pattern)) {
        c.matches("pattern", pattern, KEY_PATTERN, "a key pattern such as billing:*");
      }
      if (c.required("table", table)) {
        c.matches("table", table, COLUMN, "a lowercase SQL identifier");
      }
      if (c.required("columns", columns)) {
        for (int i = 0; i < columns.size(); i++) {
          c.matches("columns[" + i + "]", columns.get(i), COLUMN, "a lowercase SQL identifier");
        }
      }
    }
  }

  /** The validation matrix (seed section 7) and the micro-cache rule. */
  public record Thresholds(
      Duration weaviateReady,
      Double minTps,
      Duration queryP95,
      Duration nlQuery,
      Duration microCacheAbove,
      Integer pgbenchClients,
      Duration pgbenchDuration)
      implements Checked {
    public static final Thresholds DEFAULTS =
        new Thresholds(null, null, null, null, null, null, null);

    public Thresholds {
      weaviateReady = weaviateReady == null ? Duration.ofSeconds(1) : weaviateReady;
      minTps = minTps == null ? 500.0 : minTps;
      queryP95 = queryP95 == null ? Duration.ofMillis(150) : queryP95;
      nlQuery = nlQuery == null ? Duration.ofSeconds(2) : nlQuery;
      microCacheAbove = microCacheAbove == null ? Duration.ofMillis(50) : microCacheAbove;
      pgbenchClients = pgbenchClients == null ? 16 : pgbenchClients;
      pgbenchDuration = pgbenchDuration == null ? Duration.ofSeconds(60) : pgbenchDuration;
    }

    @Override
    public void check(PlanChecks c) {
      c.positive("weaviateReady", weaviateReady);
      c.range("minTps", minTps, 0, 1_000_000);
      c.positive("queryP95", queryP95);
      c.positive("nlQuery", nlQuery);
      c.positive("microCacheAbove", microCacheAbove);
      c.range("pgbenchClients", pgbenchClients, 1, 1000);
      c.positive("pgbenchDuration", pgbenchDuration);
      c.atMost("pgbenchDuration", pgbenchDuration, Duration.ofMinutes(30));
    }
  }

  /**
   * Endpoints probed on the app after the switch.
   *
   * @param nlQueryUrl the admin UI's natural-language query endpoint (must answer within nlQuery)
   * @param chatUrl the chat endpoint whose p95 decides the micro-cache
   */
  public record Probes(String nlQueryUrl, String chatUrl, Integer samples) implements Checked {
    public Probes {
      samples = samples == null ? 20 : samples;
    }

    @Override
    public void check(PlanChecks c) {
      Pattern url =
          Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%/?&=+-]*)?");
      if (c.required("nlQueryUrl", nlQueryUrl)) {
        c.matches("nlQueryUrl", nlQueryUrl, url, "an http(s) URL");
      }
      if (c.required("chatUrl", chatUrl)) {
        c.matches("chatUrl", chatUrl, url, "an http(s) URL");
      }
      c.range("samples", samples, 1, 10_000);
    }
  }

  /** The optional Dragonfly droplet, deployed only when chat p95 exceeds the threshold. */
  public record MicroCache(String size, String image, String dragonflyVersion) implements Checked {
    public static final MicroCache DEFAULTS = new MicroCache(null, null, null);

    public MicroCache {
      size = size == null ? "s-1vcpu-1gb" : size;
      image = image == null ? "ubuntu-22-04-x64" : image;
      dragonflyVersion = dragonflyVersion == null ? "v1.7.0" : dragonflyVersion;
    }

    @Override
    public void check(PlanChecks c) {
      c.matches("size", size, SLUG, "a droplet size slug such as s-1vcpu-1gb");
      c.matches("image", image, SLUG, "an image slug such as ubuntu-22-04-x64");
      c.matches(
          "dragonflyVersion", dragonflyVersion, VERSION, "a Dragonfly version such as v1.7.0");
    }
  }

  /**
   * Where the memory backup and a dump of the orchestrator database are kept besides the worker
   * (seed section 8): DigitalOcean Spaces or any S3 API. Without it the backups stay on the worker.
   *
   * @param endpoint such as https://fra1.digitaloceanspaces.com
   * @param prefix key prefix; the objects go under {@code prefix + name + "/"}
   * @param hostDir where pg_dump keeps the dump on the app node
   */
  public record BackupStore(
      String endpoint,
      String region,
      String bucket,
      String prefix,
      SecretRef accessKey,
      SecretRef secretKey,
      String hostDir)
      implements Checked {
    public BackupStore {
      region = region == null ? "us-east-1" : region;
      prefix = prefix == null ? "" : prefix;
      hostDir = hostDir == null ? "/var/backups/ferry" : hostDir;
    }

    @Override
    public void check(PlanChecks c) {
      c.bucket(endpoint, region, bucket, prefix, accessKey, secretKey, "backups/");
      c.absolutePath("hostDir", hostDir);
    }
  }
}
