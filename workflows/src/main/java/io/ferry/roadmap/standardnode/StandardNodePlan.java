package io.ferry.roadmap.standardnode;

import io.ferry.plan.Checked;
import io.ferry.plan.FailurePolicy;
import io.ferry.plan.GatePolicy;
import io.ferry.plan.Plan;
import io.ferry.plan.PlanChecks;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import io.ferry.roadmap.common.ShiftPlan;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A standard-node plan: the node beside the old stack, the old and new services, the compose
 * project, the cron entries it replaces, the existing primary and its new replicas, the nginx edge
 * and the traffic shift. Every field is documented in {@code plans/standard-node.example.yaml}.
 */
public record StandardNodePlan(
    String roadmap,
    String name,
    FailurePolicy failurePolicy,
    SshTarget node,
    List<Service> oldServices,
    List<Service> newServices,
    Compose compose,
    Cron cron,
    PostgresTarget primary,
    Replication replication,
    Edge edge,
    ShiftPlan shift,
    Boolean decommission,
    Map<String, GatePolicy> gates)
    implements Plan {

  public static final String ROADMAP = "standard-node";
  static final Pattern SERVICE = Pattern.compile("[a-z][a-z0-9-]{0,40}");
  static final Pattern SLOT = Pattern.compile("[a-z0-9_]{1,63}");
  static final Pattern ENV_KEY = Pattern.compile("[A-Z_][A-Z0-9_]*");
  static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._/-]*");

  public StandardNodePlan {
    failurePolicy = failurePolicy == null ? FailurePolicy.ROLLBACK : failurePolicy;
    oldServices = oldServices == null ? List.of() : List.copyOf(oldServices);
    newServices = newServices == null ? List.of() : List.copyOf(newServices);
    shift = shift == null ? ShiftPlan.defaults() : shift;
    decommission = decommission != null && decommission;
    gates = gates == null ? Map.of() : new LinkedHashMap<>(gates);
  }

  @Override
  public void check(PlanChecks c) {
    checkCommon(c, ROADMAP, StandardNodeRoadmap.ROADMAP.gateIds());
    c.nested("node", node);
    if (c.required("oldServices", oldServices)) {
      c.each("oldServices", oldServices);
    }
    if (c.required("newServices", newServices)) {
      c.each("newServices", newServices);
    }
    checkPorts(c);
    c.nested("compose", compose);
    c.optional("cron", cron);
    if (cron != null
        && cron.replacedBy() != null
        && service(newServices, cron.replacedBy()) == null) {
      c.problem("cron.replacedBy", "names no service of newServices: " + cron.replacedBy());
    }
    c.nested("primary", primary);
    c.nested("replication", replication);
    if (replication != null && primary != null && primary.host() != null) {
      replication.checkAgainst(c.at("replication"), primary);
    }
    c.nested("edge", edge);
    if (edge != null) {
      if (edge.oldBackend() != null && service(oldServices, edge.oldBackend()) == null) {
        c.problem("edge.oldBackend", "names no service of oldServices: " + edge.oldBackend());
      }
      if (edge.newBackend() != null && service(newServices, edge.newBackend()) == null) {
        c.problem("edge.newBackend", "names no service of newServices: " + edge.newBackend());
      }
    }
    if (decommission) {
      for (int i = 0; i < oldServices.size(); i++) {
        if (oldServices.get(i) != null && oldServices.get(i).unit() == null) {
          c.problem(
              "oldServices[" + i + "].unit",
              "is required: decommission stops each old service's unit");
        }
      }
    }
    c.nested("shift", shift);
  }

  /** A new port that collides with an old service's, or another new one, is refused. */
  private void checkPorts(PlanChecks c) {
    Map<Integer, String> old = new HashMap<>();
    for (int i = 0; i < oldServices.size(); i++) {
      Service s = oldServices.get(i);
      if (s != null && s.port() != null) {
        old.put(s.port(), s.name());
      }
    }
    Map<Integer, String> fresh = new HashMap<>();
    for (int i = 0; i < newServices.size(); i++) {
      Service s = newServices.get(i);
      if (s == null || s.port() == null) {
        continue;
      }
      if (old.containsKey(s.port())) {
        c.problem(
            "newServices[" + i + "].port",
            s.port()
                + " is the port of the old service "
                + old.get(s.port())
                + ", which keeps running beside the new stack: choose another");
      } else if (fresh.containsKey(s.port())) {
        c.problem(
            "newServices[" + i + "].port",
            s.port() + " is also the port of " + fresh.get(s.port()));
      }
      fresh.put(s.port(), s.name());
    }
  }

  static Service service(List<Service> services, String name) {
    return services.stream()
        .filter(s -> s != null && name.equals(s.name()))
        .findFirst()
        .orElse(null);
  }

  /** Whether the old services are stopped for good after the last gate. */
  public boolean decommissions() {
    return decommission;
  }

  /**
   * A service on the node.
   *
   * @param health the path its HTTP health check answers on, or null when it has none (a Redis)
   * @param probe {@code redis} for a Redis without HTTP: a PING on the node must get PONG; null for
   *     HTTP (checked when it has a health path)
   * @param unit its systemd unit (old services: what decommission stops)
   */
  public record Service(String name, Integer port, String health, String probe, String unit)
      implements Checked {
    public static final String REDIS = "redis";

    /** Whether the service's health is checked at all. */
    public boolean checked() {
      return health != null || REDIS.equals(probe);
    }

    @Override
    public void check(PlanChecks c) {
      if (probe != null && !probe.equals(REDIS)) {
        c.problem("probe", "must be redis (a PING over TCP) or absent (HTTP), was " + probe);
      }
      if (probe != null && health != null) {
        c.problem("probe", "a redis probe has no health path: remove health or probe");
      }
      if (c.required("name", name)) {
        c.matches("name", name, SERVICE, "lowercase letters, digits and '-'");
      }
      if (c.required("port", port)) {
        c.port("port", port);
      }
      if (health != null) {
        c.matches("health", health, PATH, "a path such as /health");
      }
      if (unit != null) {
        c.unitName("unit", unit);
      }
    }
  }

  /**
   * The standard node's compose project.
   *
   * @param file the compose file's text
   * @param settings plain values for {@code .env}
   * @param secrets values for {@code .env} as references, resolved on the worker
   */
  public record Compose(
      String directory,
      String project,
      String file,
      Map<String, String> settings,
      Map<String, SecretRef> secrets)
      implements Checked {

    public Compose {
      settings = settings == null ? Map.of() : new LinkedHashMap<>(settings);
      secrets = secrets == null ? Map.of() : new LinkedHashMap<>(secrets);
    }

    @Override
    public void check(PlanChecks c) {
      if (c.required("directory", directory)) {
        c.absolutePath("directory", directory);
      }
      if (c.required("project", project)) {
        c.matches("project", project, SERVICE, "lowercase letters, digits and '-'");
      }
      if (c.required("file", file)) {
        if (file.length() > 200_000) {
          c.problem("file", "is longer than 200000 characters");
        }
        if (file.chars().anyMatch(ch -> ch < 0x20 && ch != '\n' && ch != '\t')) {
          c.problem("file", "contains control characters other than line breaks and tabs");
        }
      }
      settings.forEach(
          (k, v) -> {
            c.matches("settings." + k, k, ENV_KEY, "an upper-case variable name");
            if (v == null || v.indexOf('\n') >= 0) {
              c.problem("settings." + k, "must be a one-line value");
            }
          });
      secrets.forEach(
          (k, v) -> {
            c.matches("secrets." + k, k, ENV_KEY, "an upper-case variable name");
            c.secret("secrets." + k, v, true);
            if (settings.containsKey(k)) {
              c.problem("secrets." + k, "is also in settings: name it once");
            }
          });
    }
  }

  /**
   * Old crontab entries the standard node's cron service replaces.
   *
   * @param user whose crontab (the login user's when absent)
   * @param entries text identifying each line, such as the script it runs
   * @param replacedBy the new service that must be healthy before they are disabled
   */
  public record Cron(String user, List<String> entries, String replacedBy) implements Checked {
    @Override
    public void check(PlanChecks c) {
      if (user != null) {
        c.matches("user", user, Pattern.compile("[a-z_][a-z0-9_.-]{0,31}"), "a login name");
      }
      if (c.required("entries", entries)) {
        for (int i = 0; i < entries.size(); i++) {
          String e = entries.get(i);
          if (e == null || e.isBlank() || e.indexOf('\n') >= 0) {
            c.problem("entries[" + i + "]", "must be text on one line identifying a crontab line");
          }
        }
      }
      c.required("replacedBy", replacedBy);
    }
  }

  /**
   * The replicas of the existing primary.
   *
   * @param user the role replicas connect as (it needs REPLICATION)
   * @param primaryDataDir the primary's data directory, when it runs on a host a replica could
   *     share
   * @param maxLag replay lag each replica must stay under
   * @param lagTimeout how long verify-streaming holds, looking every {@code lagInterval}, for every
   *     replica to stream under {@code maxLag} before the migration rolls back
   */
  public record Replication(
      String user,
      SecretRef password,
      Duration maxLag,
      Duration lagTimeout,
      Duration lagInterval,
      String primaryDataDir,
      List<Replica> replicas)
      implements Checked {

    public Replication {
      maxLag = maxLag == null ? Duration.ofSeconds(10) : maxLag;
      lagTimeout = lagTimeout == null ? Duration.ofMinutes(30) : lagTimeout;
      lagInterval = lagInterval == null ? Duration.ofSeconds(15) : lagInterval;
      replicas = replicas == null ? List.of() : List.copyOf(replicas);
    }

    @Override
    public void check(PlanChecks c) {
      if (c.required("user", user)) {
        c.matches(
            "user", user, Pattern.compile("[a-z_][a-z0-9_]{0,62}"), "a lowercase SQL identifier");
      }
      c.secret("password", password, true);
      c.positive("maxLag", maxLag);
      c.positive("lagTimeout", lagTimeout);
      c.positive("lagInterval", lagInterval);
      if (lagInterval.compareTo(lagTimeout) > 0) {
        c.problem("lagInterval", "is longer than lagTimeout (" + lagTimeout + "): make it shorter");
      }
      if (primaryDataDir != null) {
        c.absolutePath("primaryDataDir", primaryDataDir);
      }
      if (c.required("replicas", replicas)) {
        c.each("replicas", replicas);
      }
      Set<String> names = new HashSet<>();
      Set<String> slots = new HashSet<>();
      for (int i = 0; i < replicas.size(); i++) {
        Replica r = replicas.get(i);
        if (r == null) {
          continue;
        }
        if (r.name() != null && !names.add(r.name())) {
          c.problem("replicas[" + i + "].name", "is used by another replica: " + r.name());
        }
        if (r.slotName() != null && !slots.add(r.slotName())) {
          c.problem("replicas[" + i + "].slot", "is used by another replica: " + r.slotName());
        }
      }
    }

    void checkAgainst(PlanChecks c, PostgresTarget primary) {
      for (int i = 0; i < replicas.size(); i++) {
        Replica r = replicas.get(i);
        if (r == null || r.host() == null || r.host().host() == null) {
          continue;
        }
        boolean sameHost =
            r.host().host().equals(primary.host()) || primary.host().equals(r.address());
        if (sameHost && primary.port() != null && primary.port().equals(r.port())) {
          c.problem(
              "replicas[" + i + "].port",
              r.port()
                  + " is the primary's own port on its own host "
                  + primary.host()
                  + ": a replica beside the primary needs another port");
        }
        if (sameHost && r.dataDir() != null && r.dataDir().equals(primaryDataDir)) {
          c.problem(
              "replicas[" + i + "].dataDir",
              r.dataDir()
                  + " is the primary's own data directory on "
                  + primary.host()
                  + ": the base backup would need it empty");
        }
      }
    }
  }

  /**
   * One replica.
   *
   * @param name its application_name on the primary
   * @param address the address the primary sees it connect from (default: its host)
   * @param slot its physical slot on the primary (default: its name)
   * @param osUser the system user PostgreSQL runs as (default postgres)
   */
  public record Replica(
      String name,
      SshTarget host,
      String address,
      String binDir,
      String dataDir,
      Integer port,
      String slot,
      String osUser)
      implements Checked {

    public Replica {
      binDir = binDir == null ? "/usr/lib/postgresql/15/bin" : binDir;
      port = port == null ? 5432 : port;
      osUser = osUser == null ? "postgres" : osUser;
    }

    public String slotName() {
      return slot == null ? name : slot;
    }

    public String addressOrHost() {
      return address != null ? address : host == null ? null : host.host();
    }

    @Override
    public void check(PlanChecks c) {
      if (c.required("name", name)) {
        c.matches("name", name, SLOT, "1-63 lowercase letters, digits and '_'");
      }
      c.nested("host", host);
      c.host("address", address);
      c.absolutePath("binDir", binDir);
      if (c.required("dataDir", dataDir)) {
        c.absolutePath("dataDir", dataDir);
        if (dataDir.replaceAll("/+$", "").chars().filter(ch -> ch == '/').count() < 2) {
          c.problem(
              "dataDir",
              "must be at least two levels deep, such as /var/lib/postgresql/15/standby");
        }
      }
      c.port("port", port);
      if (slot != null) {
        c.matches(
            "slot",
            slot,
            SLOT,
            "a name PostgreSQL accepts for a replication slot: 1-63 lowercase letters, digits and"
                + " '_'");
      }
      c.matches("osUser", osUser, Pattern.compile("[a-z_][a-z0-9_-]{0,31}"), "a login name");
    }
  }

  /**
   * The nginx edge in front of the old and new backends.
   *
   * @param host where nginx runs (default: the node)
   * @param oldBackend the old service /api goes to today (a name in oldServices)
   * @param newBackend the new service /api moves to (a name in newServices)
   * @param probePath what the analysis windows GET on both backends (default: each one's health
   *     path)
   */
  public record Edge(
      SshTarget host,
      String sitePath,
      String mainConfig,
      Integer listen,
      List<String> serverNames,
      String staticRoot,
      String apiPath,
      String oldBackend,
      String newBackend,
      String probePath,
      TestUsers testUsers)
      implements Checked {

    public Edge {
      sitePath = sitePath == null ? "/etc/nginx/sites-enabled/ferry-standard-node.conf" : sitePath;
      listen = listen == null ? 80 : listen;
      serverNames = serverNames == null ? List.of() : List.copyOf(serverNames);
      apiPath = apiPath == null ? "/api" : apiPath;
    }

    @Override
    public void check(PlanChecks c) {
      c.optional("host", host);
      c.absolutePath("sitePath", sitePath);
      if (mainConfig != null) {
        c.absolutePath("mainConfig", mainConfig);
      }
      c.port("listen", listen);
      for (int i = 0; i < serverNames.size(); i++) {
        c.matches(
            "serverNames[" + i + "]",
            serverNames.get(i),
            Pattern.compile("[A-Za-z0-9*_][A-Za-z0-9._-]{0,252}"),
            "a host name");
      }
      if (staticRoot != null) {
        c.matches("staticRoot", staticRoot, PATH, "an absolute path of letters, digits, . _ - /");
      }
      c.matches("apiPath", apiPath, PATH, "a path such as /api");
      c.required("oldBackend", oldBackend);
      c.required("newBackend", newBackend);
      if (probePath != null) {
        c.matches("probePath", probePath, PATH, "a path such as /api/health");
      }
      c.optional("testUsers", testUsers);
    }
  }

  /** Requests with {@code header: value} or the cookie {@code cookie=value} are test users'. */
  public record TestUsers(String header, String cookie, String value) implements Checked {
    @Override
    public void check(PlanChecks c) {
      if (header == null && cookie == null) {
        c.problem("header", "name a header or a cookie that marks test users");
      }
      if (header != null) {
        c.matches("header", header, Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,62}"), "a header name");
      }
      if (cookie != null) {
        c.matches("cookie", cookie, Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}"), "a cookie name");
      }
      if (c.required("value", value)) {
        c.matches(
            "value", value, Pattern.compile("[A-Za-z0-9._-]{1,64}"), "letters, digits, . _ -");
      }
    }
  }
}
