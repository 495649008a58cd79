package io.ferry.roadmap.appplatform;

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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One app's move from its droplet to App Platform. {@code plans/app-platform.example.yaml}
 * documents every field. The production app's previous deployment is not a field: the run discovers
 * it, so a rollback returns to what was really live.
 */
public record AppPlatformPlan(
    String roadmap,
    String name,
    FailurePolicy failurePolicy,
    String appSpec,
    String version,
    Registry registry,
    List<Image> images,
    Droplet droplet,
    Database postgres,
    Valkey valkey,
    Environment staging,
    Environment production,
    Migrations migrations,
    Duration deployTimeout,
    DnsPlan dns,
    Monitor monitor,
    Map<String, GatePolicy> gates,
    Duration soak,
    Approvals approvals,
    Notifications notifications)
    implements Plan {

  public static final String ROADMAP = "app-platform";
  static final Pattern APP_NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}[a-z0-9]");
  static final Pattern COMPONENT = Pattern.compile("[a-z][a-z0-9-]{0,30}[a-z0-9]");
  static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+([._/-][a-z0-9]+)*");
  static final Pattern IMAGE_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  static final Pattern REGISTRY = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  static final Pattern URL_PATH = Pattern.compile("/[A-Za-z0-9._~%/?&=+-]*");
  static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  static final Pattern ARGUMENT = Pattern.compile("[A-Za-z0-9 ._:/@+,=-]{1,256}");

  public AppPlatformPlan {
    failurePolicy = failurePolicy == null ? FailurePolicy.ROLLBACK : failurePolicy;
    images = images == null ? List.of() : List.copyOf(images);
    migrations = migrations == null ? Migrations.NONE : migrations;
    deployTimeout = deployTimeout == null ? Duration.ofMinutes(30) : deployTimeout;
    gates = gates == null ? Map.of() : new LinkedHashMap<>(gates);
    approvals = approvals == null ? Approvals.DEFAULTS : approvals;
    soak = soak == null ? Duration.ofDays(7) : soak;
    dns = dns == null ? null : dns.withDefaults("CNAME", 300);
  }

  @Override
  public void check(PlanChecks c) {
    checkCommon(c, ROADMAP, AppPlatformRoadmap.ROADMAP.gateIds());
    if (c.required("appSpec", appSpec)) {
      c.absolutePath("appSpec", appSpec);
      if (!appSpec.endsWith(".yaml") && !appSpec.endsWith(".yml") && !appSpec.endsWith(".json")) {
        c.problem("appSpec", "must name an app spec file (.yaml, .yml or .json) on the worker");
      }
    }
    if (c.required("version", version)) {
      c.matches("version", version, IMAGE_TAG, "an image tag such as v2.4.0");
      if ("latest".equals(version)) {
        c.problem("version", "must name one release, not 'latest', so a rollback knows its tag");
      }
    }
    c.nested("registry", registry);
    if (c.required("images", images)) {
      c.each("images", images);
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < images.size(); i++) {
        Image image = images.get(i);
        if (image != null && image.component() != null && !seen.add(image.component())) {
          c.problem("images[" + i + "].component", "'" + image.component() + "' appears twice");
        }
      }
    }
    c.nested("droplet", droplet);
    c.nested("postgres", postgres);
    c.nested("valkey", valkey);
    c.nested("staging", staging);
    c.nested("production", production);
    if (staging != null
        && production != null
        && staging.app() != null
        && staging.app().equals(production.app())) {
      c.problem("staging.app", "must differ from production.app ('" + staging.app() + "')");
    }
    c.optional("migrations", migrations);
    if (migrations.command() != null
        && !migrations.command().isEmpty()
        && images.stream()
            .noneMatch(i -> i != null && migrations.component().equals(i.component()))) {
      c.problem(
          "migrations.component",
          "'" + migrations.component() + "' is not one of the images' components");
    }
    c.positive("deployTimeout", deployTimeout);
    c.atMost("deployTimeout", deployTimeout, Duration.ofHours(3));
    c.nested("dns", dns);
    if (dns != null) {
      dns.checkPointedAtCreatedHost(c.at("dns"), "the production app's ingress host");
    }
    c.nested("monitor", monitor);
    c.positive("soak", soak);
    c.atMost("soak", soak, Duration.ofDays(90));
  }

  /**
   * The DigitalOcean container registry the images go to.
   *
   * @param name the registry's name (registry.digitalocean.com/NAME)
   * @param token an API token with registry read/write, given to {@code docker login} on stdin
   * @param user the user name {@code docker login} sends with the token
   */
  public record Registry(String name, SecretRef token, String user) implements Checked {
    public Registry {
      user = user == null ? "ferry" : user;
    }

    public String server() {
      return "registry.digitalocean.com";
    }

    @Override
    public void check(PlanChecks c) {
      if (c.required("name", name)) {
        c.matches("name", name, REGISTRY, "a registry name of lowercase letters, digits and '-'");
      }
      c.secret("token", token, true);
      c.matches("user", user, Pattern.compile("[A-Za-z0-9._@-]{1,64}"), "a user name");
    }
  }

  /**
   * One image built on the droplet and pushed as {@code repository:version}.
   *
   * @param component the app spec component (service, worker, job or static site) that runs it
   * @param context the build context directory on the droplet
   * @param dockerfile relative to the context
   * @param target the multi-stage build target, if any
   */
  public record Image(
      String component, String repository, String context, String dockerfile, String target)
      implements Checked {
    public Image {
      dockerfile = dockerfile == null ? "Dockerfile" : dockerfile;
    }

    @Override
    public void check(PlanChecks c) {
      if (c.required("component", component)) {
        c.matches("component", component, COMPONENT, "an app spec component name");
      }
      if (c.required("repository", repository)) {
        c.matches("repository", repository, REPOSITORY, "a repository name such as app-backend");
      }
      if (c.required("context", context)) {
        c.absolutePath("context", context);
      }
      c.matches(
          "dockerfile",
          dockerfile,
          Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*"),
          "a relative path inside the context");
      if (dockerfile != null && dockerfile.contains("..")) {
        c.problem("dockerfile", "must stay inside the context (no '..')");
      }
      c.matches("target", target, COMPONENT, "a build stage name");
    }
  }

  /**
   * The droplet the app leaves: where images are built, whose logs are exported and which is
   * snapshotted and destroyed at the end.
   *
   * @param id the DigitalOcean droplet id
   */
  public record Droplet(Long id, SshTarget ssh, Logs logs) implements Checked {
    @Override
    public void check(PlanChecks c) {
      if (c.required("id", id)) {
        c.range("id", id, 1, 9_999_999_999L);
      }
      c.nested("ssh", ssh);
      c.nested("logs", logs);
    }
  }

  /**
   * What of the droplet's logs is kept before it goes.
   *
   * @param units systemd units whose journal is exported (docker, nginx, ...)
   * @param since how far back
   * @param destination directory on the worker that receives the archive (kept)
   */
  public record Logs(List<String> units, Duration since, String destination) implements Checked {
    public Logs {
      units = units == null ? List.of() : List.copyOf(units);
      since = since == null ? Duration.ofDays(30) : since;
      destination = destination == null ? "/var/backups/ferry" : destination;
    }

    @Override
    public void check(PlanChecks c) {
      if (c.required("units", units)) {
        for (int i = 0; i < units.size(); i++) {
          c.unitName("units[" + i + "]", units.get(i));
        }
      }
      c.positive("since", since);
      c.atMost("since", since, Duration.ofDays(365));
      c.absolutePath("destination", destination);
    }
  }

  /**
   * The managed PostgreSQL cluster the app uses, before and after.
   *
   * @param cluster the managed database cluster's id (for its backups)
   * @param connection how Ferry connects; sslMode must be require or stricter
   */
  public record Database(String cluster, PostgresTarget connection, Backup backup)
      implements Checked {
    public Database {
      backup = backup == null ? Backup.DEFAULTS : backup;
    }

    @Override
    public void check(PlanChecks c) {
      if (c.required("cluster", cluster)) {
        c.matches("cluster", cluster, UUID, "a database cluster id (UUID)");
      }
      if (c.required("connection", connection)) {
        connection.check(c.at("connection"));
        if (connection.sslMode() != null
            && !List.of("require", "verify-ca", "verify-full").contains(connection.sslMode())) {
          c.problem(
              "connection.sslMode",
              "'"
                  + connection.sslMode()
                  + "' allows plain text; managed PostgreSQL needs require,"
                  + " verify-ca or verify-full");
        }
      }
      c.optional("backup", backup);
    }
  }

  /**
   * The backup that must exist before production changes.
   *
   * @param source {@code managed}: the cluster's own backups; {@code pg-dump}: Ferry runs pg_dump
   *     on the droplet into {@code dumpDir} (kept)
   * @param maxAge how recent a managed backup must be
   */
  public record Backup(String source, Duration maxAge, String dumpDir) implements Checked {
    public static final Backup DEFAULTS = new Backup(null, null, null);

    public Backup {
      source = source == null ? "managed" : source;
      maxAge = maxAge == null ? Duration.ofHours(24) : maxAge;
      dumpDir = dumpDir == null ? "/var/backups/ferry" : dumpDir;
    }

    @Override
    public void check(PlanChecks c) {
      c.oneOf("source", source, List.of("managed", "pg-dump"));
      c.positive("maxAge", maxAge);
      c.atMost("maxAge", maxAge, Duration.ofDays(7));
      c.absolutePath("dumpDir", dumpDir);
    }
  }

  /**
   * Managed Valkey, checked over TLS with scratch keys that are always removed.
   *
   * @param rounds how many LPUSH/RPOP, INCR/GET, SETEX/GET rounds
   * @param maxP95 the p95 round latency allowed
   */
  public record Valkey(MemoryStoreTarget store, Integer rounds, Duration maxP95)
      implements Checked {
    public Valkey {
      rounds = rounds == null ? 100 : rounds;
      maxP95 = maxP95 == null ? Duration.ofMillis(5) : maxP95;
    }

    @Override
    public void check(PlanChecks c) {
      if (c.required("store", store)) {
        store.check(c.at("store"));
        if (store.url() != null && !store.url().startsWith("rediss://")) {
          c.problem("store.url", "must use TLS: write it as rediss://host:25061/1");
        }
        if (store.password() == null) {
          c.problem("store.password", "is required for managed Valkey: env:NAME or file:/path");
        }
      }
      c.range("rounds", rounds, 1, 10_000);
      c.positive("maxP95", maxP95);
    }
  }

  /**
   * One App Platform app made from the spec: staging or production.
   *
   * @param app the app's name on App Platform (replaces the spec's name)
   * @param env app-level environment variables, set as encrypted SECRET values resolved on the
   *     worker
   * @param smoke requests that must pass against the app's live URL after each deployment
   */
  public record Environment(String app, Map<String, SecretRef> env, List<SmokeTest> smoke)
      implements Checked {
    public Environment {
      env = env == null ? Map.of() : new LinkedHashMap<>(env);
      smoke = smoke == null ? List.of() : List.copyOf(smoke);
    }

    @Override
    public void check(PlanChecks c) {
      if (c.required("app", app)) {
        c.matches("app", app, APP_NAME, "an app name of 2-32 lowercase letters, digits and '-'");
      }
      env.forEach(
          (k, v) -> {
            c.envKey("env." + k, k);
            c.secret("env." + k, v, true);
          });
      if (c.required("smoke", smoke)) {
        c.each("smoke", smoke);
      }
    }
  }

  /**
   * One request of a smoke test or a monitor probe.
   *
   * @param maxLatency the slowest answer allowed (every sample)
   */
  public record SmokeTest(String path, Integer expectStatus, Duration maxLatency, Integer samples)
      implements Checked {
    public SmokeTest {
      expectStatus = expectStatus == null ? 200 : expectStatus;
      maxLatency = maxLatency == null ? Duration.ofSeconds(2) : maxLatency;
      samples = samples == null ? 3 : samples;
    }

    @Override
    public void check(PlanChecks c) {
      if (c.required("path", path)) {
        c.matches("path", path, URL_PATH, "a URL path such as /health");
      }
      c.range("expectStatus", expectStatus, 100, 599);
      c.positive("maxLatency", maxLatency);
      c.range("samples", samples, 1, 1000);
    }
  }

  /**
   * How database migrations run after each deployment: {@code job}, a PRE_DEPLOY job in the spec
   * (App Platform runs it; Ferry checks it succeeded), or {@code command}, run once in the
   * component's freshly pushed image on the droplet with the environment's env. Neither: no
   * migrations.
   */
  public record Migrations(String job, List<String> command, String component) implements Checked {
    public static final Migrations NONE = new Migrations(null, null, null);

    public Migrations {
      command = command == null ? List.of() : List.copyOf(command);
      component = component == null ? "backend" : component;
    }

    public boolean none() {
      return job == null && command.isEmpty();
    }

    @Override
    public void check(PlanChecks c) {
      if (job != null && !command.isEmpty()) {
        c.problem("", "name either job (a PRE_DEPLOY job in the spec) or command, not both");
      }
      c.matches("job", job, COMPONENT, "a job component name");
      for (int i = 0; i < command.size(); i++) {
        c.matches(
            "command[" + i + "]",
            command.get(i),
            ARGUMENT,
            "a plain argument (letters, digits, space and . _ : / @ + , = -)");
      }
      c.matches("component", component, COMPONENT, "a component name");
    }
  }

  /**
   * The watch after the DNS cutover: every {@code interval} for {@code window} each probe is sent
   * to the domain; when more than {@code failureBudget} rounds fail the migration rolls back.
   */
  public record Monitor(
      Duration window, Duration interval, Integer failureBudget, List<SmokeTest> probes)
      implements Checked {
    public Monitor {
      window = window == null ? Duration.ofMinutes(30) : window;
      interval = interval == null ? Duration.ofMinutes(1) : interval;
      failureBudget = failureBudget == null ? 3 : failureBudget;
      probes = probes == null ? List.of() : List.copyOf(probes);
    }

    @Override
    public void check(PlanChecks c) {
      c.positive("window", window);
      c.atMost("window", window, Duration.ofDays(2));
      c.positive("interval", interval);
      if (window != null && interval != null && interval.compareTo(window) > 0) {
        c.problem("interval", "is longer than the window; probe at least once in the window");
      }
      if (window != null
          && interval != null
          && !interval.isZero()
          && window.dividedBy(interval) > 10_000) {
        c.problem("interval", "gives more than 10000 rounds in the window; probe less often");
      }
      c.range("failureBudget", failureBudget, 0, 10_000);
      if (c.required("probes", probes)) {
        c.each("probes", probes);
      }
    }
  }
}
