package io.ferry.activities.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.activities.Failures;
import io.ferry.activities.port.AppPlatformPort;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * App Platform apps and deployments. A deployment advances one phase per read, PENDING_BUILD,
 * BUILDING, DEPLOYING, then ACTIVE, or ERROR when an image its spec names is not in the registry.
 * The ledger shows each app with the images and variable names of its live spec (never values);
 * deployments are history, kept.
 */
final class SimApps implements AppPlatformPort {

  private static final List<String> PHASES =
      List.of("PENDING_BUILD", "BUILDING", "DEPLOYING", "ACTIVE");
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}[a-z0-9]");
  private static final List<String> COMPONENT_LISTS =
      List.of("services", "workers", "jobs", "static_sites");

  private final SimWorld world;
  private final Map<String, App> apps = new TreeMap<>();
  private final Map<String, Dep> deployments = new LinkedHashMap<>();

  private static final class App {
    final String id;
    final String name;
    ObjectNode spec;
    String active;
    String pending;

    App(String id, String name, ObjectNode spec) {
      this.id = id;
      this.name = name;
      this.spec = spec;
    }
  }

  private static final class Dep {
    final String id;
    final String appId;
    final ObjectNode spec;
    final String cause;
    int phase;
    String phaseName = "PENDING_BUILD";
    String failedComponent;
    String failure;
    String clonedFrom;

    Dep(String id, String appId, ObjectNode spec, String cause) {
      this.id = id;
      this.appId = appId;
      this.spec = spec;
      this.cause = cause;
    }
  }

  SimApps(SimWorld world) {
    this.world = world;
  }

  /** An app live before the run (once): its first deployment is ACTIVE. */
  void seed(ObjectNode spec) {
    synchronized (world) {
      String name = spec.path("name").asText();
      if (find(name) != null) {
        return;
      }
      App app = new App(nextAppId(), name, spec.deepCopy());
      apps.put(app.id, app);
      Dep dep = newDeployment(app, "initial deployment");
      dep.phase = PHASES.size() - 1;
      dep.phaseName = "ACTIVE";
      app.active = dep.id;
      app.pending = null;
      putDeployment(dep);
      putApp(app, dep.spec);
    }
  }

  @Override
  public List<SpecProblem> propose(ObjectNode spec, String appId) {
    synchronized (world) {
      List<SpecProblem> problems = new ArrayList<>();
      String name = spec.path("name").asText("");
      if (!NAME.matcher(name).matches()) {
        problems.add(new SpecProblem("name", "must be 2-32 lowercase letters, digits and '-'"));
      }
      App other = find(name);
      if (other != null && !other.id.equals(appId)) {
        problems.add(new SpecProblem("name", "an app named " + name + " exists already"));
      }
      int components = 0;
      for (String list : COMPONENT_LISTS) {
        JsonNode items = spec.path(list);
        for (int i = 0; i < items.size(); i++) {
          components++;
          JsonNode c = items.get(i);
          String at = list + "[" + i + "]";
          if (!c.path("name").isTextual()) {
            problems.add(new SpecProblem(at + ".name", "is required"));
          }
          JsonNode image = c.path("image");
          if (!image.isMissingNode()) {
            if (!"DOCR".equals(image.path("registry_type").asText())
                && !"DOCKER_HUB".equals(image.path("registry_type").asText())
                && !"GHCR".equals(image.path("registry_type").asText())) {
              problems.add(
                  new SpecProblem(at + ".image.registry_type", "must be DOCR, DOCKER_HUB or GHCR"));
            }
            if (!image.path("repository").isTextual()) {
              problems.add(new SpecProblem(at + ".image.repository", "is required"));
            }
          } else if (!"static_sites".equals(list)
              && c.path("github").isMissingNode()
              && c.path("git").isMissingNode()) {
            problems.add(new SpecProblem(at, "needs a source: image, github or git"));
          }
        }
      }
      if (components == 0) {
        problems.add(new SpecProblem("services", "the spec has no components"));
      }
      JsonNode envs = spec.path("envs");
      for (int i = 0; i < envs.size(); i++) {
        if ("SECRET".equals(envs.get(i).path("type").asText())
            && envs.get(i).path("value").asText("").isEmpty()) {
          problems.add(new SpecProblem("envs[" + i + "].value", "a SECRET needs a value"));
        }
      }
      return problems;
    }
  }

  @Override
  public Optional<AppInfo> findApp(String name) {
    synchronized (world) {
      return Optional.ofNullable(find(name)).map(this::info);
    }
  }

  @Override
  public Optional<AppInfo> app(String appId) {
    synchronized (world) {
      return Optional.ofNullable(apps.get(appId)).map(this::info);
    }
  }

  @Override
  public AppInfo createApp(ObjectNode spec) {
    synchronized (world) {
      String name = spec.path("name").asText();
      if (find(name) != null) {
        throw Failures.precondition("an app named " + name + " exists already");
      }
      App app = new App(nextAppId(), name, spec.deepCopy());
      apps.put(app.id, app);
      Map<String, String> a = new LinkedHashMap<>();
      a.put("id", app.id);
      a.put("images", "none live yet");
      world.ledger.put(new Resource("app", name, a));
      newDeployment(app, "app created");
      return info(app);
    }
  }

  @Override
  public AppInfo updateApp(String appId, ObjectNode spec) {
    synchronized (world) {
      App app = require(appId);
      if (!app.spec.equals(spec)) {
        app.spec = spec.deepCopy();
        newDeployment(app, "app spec updated");
      }
      return info(app);
    }
  }

  @Override
  public boolean deleteApp(String appId) {
    synchronized (world) {
      App app = apps.remove(appId);
      if (app == null) {
        return false;
      }
      world.ledger.remove("app", app.name);
      return true;
    }
  }

  @Override
  public Deployment createDeployment(String appId) {
    synchronized (world) {
      return deployment(newDeployment(require(appId), "manual"));
    }
  }

  @Override
  public Optional<Deployment> deployment(String appId, String deploymentId) {
    synchronized (world) {
      Dep dep = deployments.get(deploymentId);
      if (dep == null || !dep.appId.equals(appId)) {
        return Optional.empty();
      }
      advance(dep);
      return Optional.of(deployment(dep));
    }
  }

  @Override
  public Deployment rollback(String appId, String deploymentId) {
    synchronized (world) {
      App app = require(appId);
      Dep target = deployments.get(deploymentId);
      if (target == null || !target.appId.equals(appId)) {
        throw Failures.notFound(
            "deployment " + deploymentId + " of app " + appId + " does not exist");
      }
      app.spec = target.spec.deepCopy();
      Dep rollback = newDeployment(app, "rollback to " + deploymentId);
      rollback.clonedFrom = deploymentId;
      return deployment(rollback);
    }
  }

  @Override
  public Optional<String> logsUrl(
      String appId, String deploymentId, String component, LogType type) {
    synchronized (world) {
      if (!deployments.containsKey(deploymentId)) {
        return Optional.empty();
      }
      return Optional.of(
          "https://logs.sim.ondigitalocean.app/"
              + appId
              + "/"
              + deploymentId
              + "/"
              + component
              + "?type="
              + type);
    }
  }

  private void advance(Dep dep) {
    if (!PHASES.contains(dep.phaseName) || "ACTIVE".equals(dep.phaseName)) {
      return;
    }
    App app = apps.get(dep.appId);
    if (app == null || !dep.id.equals(app.pending)) {
      dep.phaseName = "CANCELED";
      putDeployment(dep);
      return;
    }
    dep.phase++;
    dep.phaseName = PHASES.get(dep.phase);
    if ("ACTIVE".equals(dep.phaseName)) {
      String missing = missingImage(dep.spec);
      if (missing != null) {
        dep.phaseName = "ERROR";
        dep.failedComponent = missing.substring(0, missing.indexOf('='));
        dep.failure =
            "image " + missing.substring(missing.indexOf('=') + 1) + " not found in the registry";
        app.pending = null;
      } else {
        if (app.active != null && deployments.containsKey(app.active)) {
          Dep old = deployments.get(app.active);
          old.phaseName = "SUPERSEDED";
          putDeployment(old);
        }
        app.active = dep.id;
        app.pending = null;
        putApp(app, dep.spec);
      }
    }
    putDeployment(dep);
  }

  /** {@code component=repository:tag} of the first image the registry lacks, or null. */
  private String missingImage(ObjectNode spec) {
    for (String list : COMPONENT_LISTS) {
      for (JsonNode c : spec.path(list)) {
        JsonNode image = c.path("image");
        if ("DOCR".equals(image.path("registry_type").asText())) {
          String repository = image.path("repository").asText();
          String tag = image.path("tag").asText("latest");
          if (!world.registry.has(repository, tag)) {
            return c.path("name").asText() + "=" + repository + ":" + tag;
          }
        }
      }
    }
    return null;
  }

  private Dep newDeployment(App app, String cause) {
    if (app.pending != null && deployments.containsKey(app.pending)) {
      Dep superseded = deployments.get(app.pending);
      superseded.phaseName = "CANCELED";
      putDeployment(superseded);
    }
    Dep dep = new Dep("dep-" + world.nextId(), app.id, app.spec.deepCopy(), cause);
    deployments.put(dep.id, dep);
    app.pending = dep.id;
    putDeployment(dep);
    return dep;
  }

  private Deployment deployment(Dep dep) {
    List<DeploymentStep> steps = new ArrayList<>();
    boolean failed = "ERROR".equals(dep.phaseName);
    boolean built = dep.phase >= 2 || failed;
    steps.add(
        new DeploymentStep(
            "build", null, built ? "SUCCESS" : dep.phase == 1 ? "RUNNING" : "PENDING", null));
    for (JsonNode job : dep.spec.path("jobs")) {
      if ("PRE_DEPLOY".equals(job.path("kind").asText())) {
        steps.add(
            new DeploymentStep(
                "pre-deploy", job.path("name").asText(), built ? "SUCCESS" : "PENDING", null));
      }
    }
    for (String list : List.of("services", "workers")) {
      for (JsonNode c : dep.spec.path(list)) {
        String name = c.path("name").asText();
        String status =
            failed && name.equals(dep.failedComponent)
                ? "ERROR"
                : "ACTIVE".equals(dep.phaseName) || "SUPERSEDED".equals(dep.phaseName)
                    ? "SUCCESS"
                    : "PENDING";
        steps.add(
            new DeploymentStep(
                "deploy", name, status, "ERROR".equals(status) ? dep.failure : null));
      }
    }
    return new Deployment(dep.id, dep.phaseName, dep.cause, steps, Instant.EPOCH, dep.clonedFrom);
  }

  private App find(String name) {
    return apps.values().stream().filter(a -> a.name.equals(name)).findFirst().orElse(null);
  }

  private App require(String appId) {
    App app = apps.get(appId);
    if (app == null) {
      throw Failures.notFound("app " + appId + " does not exist");
    }
    return app;
  }

  private AppInfo info(App app) {
    String host = app.name + "-" + app.id.substring(app.id.length() - 4) + ".ondigitalocean.app";
    return new AppInfo(
        app.id,
        app.name,
        app.active == null ? null : "https://" + host,
        app.active == null ? null : host,
        app.active,
        app.pending,
        app.spec.deepCopy());
  }

  private String nextAppId() {
    return String.format(
        "5f3a%04d-aa1e-4c5b-9e0d-2b7c8d9e%04d", apps.size(), world.nextId() % 10000);
  }

  private void putApp(App app, ObjectNode live) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("id", app.id);
    List<String> images = new ArrayList<>();
    for (String list : COMPONENT_LISTS) {
      for (JsonNode c : live.path(list)) {
        JsonNode image = c.path("image");
        if (!image.isMissingNode()) {
          images.add(
              c.path("name").asText()
                  + "="
                  + image.path("repository").asText()
                  + ":"
                  + image.path("tag").asText());
        }
      }
    }
    a.put("images", String.join(",", images));
    List<String> env = new ArrayList<>();
    live.path("envs")
        .forEach(
            e -> env.add(e.path("key").asText() + "(" + e.path("type").asText("GENERAL") + ")"));
    a.put("env", String.join(",", env));
    world.ledger.put(new Resource("app", app.name, a));
  }

  private void putDeployment(Dep dep) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("app", dep.appId);
    a.put("phase", dep.phaseName);
    a.put("cause", dep.cause);
    world.ledger.put(new Resource("app-deployment", dep.id, a, true));
  }
}
