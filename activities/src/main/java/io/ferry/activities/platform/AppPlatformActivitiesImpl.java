package io.ferry.activities.platform;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.activities.Failures;
import io.ferry.activities.Polling;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.AppPlatformPort;
import io.ferry.activities.port.AppPlatformPort.AppInfo;
import io.ferry.activities.port.AppPlatformPort.Deployment;
import io.ferry.activities.port.AppPlatformPort.DeploymentStep;
import io.ferry.activities.port.AppPlatformPort.LogType;
import io.ferry.activities.port.AppPlatformPort.SpecProblem;
import io.ferry.activities.port.ContainersPort;
import io.ferry.activities.port.ContainersPort.CommandResult;
import io.ferry.activities.port.WorkerFilesPort;
import io.ferry.contract.AppPlatformActivities;
import io.ferry.plan.SecretRef;
import io.temporal.activity.Activity;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link AppPlatformActivities} over the App Platform, containers and worker-files ports. */
public final class AppPlatformActivitiesImpl implements AppPlatformActivities {

  /** What a proposal's SECRET values are: App Platform checks the spec, not the secrets. */
  static final String PROPOSAL_STAND_IN = "ferry-proposal-stand-in";

  private final AppPlatformPort apps;
  private final ContainersPort containers;
  private final AppSpecs specs;
  private final SecretResolver secrets;
  private final Polling polling;

  public AppPlatformActivitiesImpl(
      AppPlatformPort apps,
      ContainersPort containers,
      WorkerFilesPort files,
      SecretResolver secrets,
      Polling polling) {
    this.apps = apps;
    this.containers = containers;
    this.specs = new AppSpecs(files);
    this.secrets = secrets;
    this.polling = polling;
  }

  @Override
  public SpecCheck validateSpecs(SpecSources sources) {
    SpecCheck last = null;
    List<String> names = new java.util.ArrayList<>();
    for (SpecSource source : Failures.require("apps", sources.apps())) {
      last = validate(source);
      names.add(source.appName());
    }
    if (last == null) {
      throw Failures.invalidInput("no app spec to validate");
    }
    return new SpecCheck(names, last.components(), last.sha256());
  }

  private SpecCheck validate(SpecSource source) {
    AppSpecs.Read read = specs.read(source.path());
    // every reference must resolve now, not at the production deploy
    Map<String, String> standIns = new LinkedHashMap<>();
    source
        .env()
        .forEach(
            (k, ref) -> {
              secrets.resolve(ref);
              standIns.put(k, PROPOSAL_STAND_IN);
            });
    ObjectNode spec = specs.build(read.spec(), source, standIns);
    String appId = apps.findApp(source.appName()).map(AppInfo::id).orElse(null);
    List<SpecProblem> problems = apps.propose(spec, appId);
    if (!problems.isEmpty()) {
      throw Failures.invalidInput(
          "App Platform rejects the spec "
              + source.path()
              + ": "
              + String.join(
                  "; ",
                  problems.stream()
                      .map(p -> (p.path().isEmpty() ? "" : p.path() + ": ") + p.message())
                      .toList()));
    }
    return new SpecCheck(List.of(source.appName()), AppSpecs.components(spec), read.sha256());
  }

  @Override
  public AppState findApp(AppQuery query) {
    String name = Failures.require("name", query.name());
    return apps.findApp(name)
        .map(a -> new AppState(name, a.id(), a.activeDeploymentId(), a.liveUrl()))
        .orElse(new AppState(name, null, null, null));
  }

  @Override
  public Deployed deploy(AppDeployment deployment) {
    SpecSource source = deployment.source();
    AppState before = Failures.require("before", deployment.before());
    Optional<AppInfo> now = apps.findApp(source.appName());
    if (now.isPresent()) {
      AppInfo app = now.get();
      // a retry finds the deployment its first attempt started
      if (!before.exists()) {
        return new Deployed(app.id(), latest(app), true);
      }
      String latest = latest(app);
      if (latest != null && !latest.equals(before.activeDeploymentId())) {
        return new Deployed(app.id(), latest, false);
      }
    } else if (before.exists()) {
      throw Failures.precondition(
          "app " + source.appName() + " (" + before.appId() + ") disappeared during the run");
    }
    ObjectNode spec = specs.build(specs.read(source.path()).spec(), source, resolve(source.env()));
    if (now.isEmpty()) {
      AppInfo created = apps.createApp(spec);
      return new Deployed(created.id(), latest(created), true);
    }
    AppInfo updated = apps.updateApp(now.get().id(), spec);
    String started =
        updated.pendingDeploymentId() != null
            ? updated.pendingDeploymentId()
            : apps.createDeployment(updated.id()).id();
    return new Deployed(updated.id(), started, false);
  }

  @Override
  public void undoDeploy(AppUndo undo) {
    Optional<AppInfo> now = apps.findApp(Failures.require("name", undo.name()));
    if (now.isEmpty()) {
      return;
    }
    AppInfo app = now.get();
    AppState before = undo.before();
    if (before == null || !before.exists()) {
      apps.deleteApp(app.id());
      return;
    }
    String target = before.activeDeploymentId();
    if (target == null
        || (app.pendingDeploymentId() == null
            && servesAgain(app, app.activeDeploymentId(), target))) {
      return;
    }
    // a retry waits for the rollback its first attempt started instead of starting another
    String rollback =
        app.pendingDeploymentId() != null && rollsBackTo(app, app.pendingDeploymentId(), target)
            ? app.pendingDeploymentId()
            : apps.rollback(app.id(), target).id();
    Deployment done = awaitSettled(app.id(), rollback, polling.timeout());
    if (!"ACTIVE".equals(done.phase())) {
      // retryable: the compensation parks for an operator if it keeps failing
      throw new IllegalStateException(
          "the rollback of "
              + app.name()
              + " to deployment "
              + before.activeDeploymentId()
              + " ended "
              + failure(app.id(), done));
    }
  }

  /** Whether {@code deploymentId} is {@code target} or a rollback to it. */
  private boolean servesAgain(AppInfo app, String deploymentId, String target) {
    return target.equals(deploymentId) || rollsBackTo(app, deploymentId, target);
  }

  private boolean rollsBackTo(AppInfo app, String deploymentId, String target) {
    return deploymentId != null
        && apps.deployment(app.id(), deploymentId)
            .map(d -> target.equals(d.clonedFrom()))
            .orElse(false);
  }

  @Override
  public LiveApp waitActive(DeploymentWatch watch) {
    Duration timeout = watch.timeout() == null ? polling.timeout() : watch.timeout();
    Deployment done = awaitSettled(watch.appId(), watch.deploymentId(), timeout);
    if (!"ACTIVE".equals(done.phase())) {
      throw Failures.precondition(
          "deployment " + done.id() + " ended " + failure(watch.appId(), done));
    }
    AppInfo app =
        apps.app(watch.appId())
            .orElseThrow(() -> Failures.notFound("app " + watch.appId() + " disappeared"));
    return new LiveApp(app.id(), done.id(), app.liveUrl(), app.defaultIngress());
  }

  @Override
  public MigrationsDone runMigrations(MigrationRun run) {
    if (run.job() != null) {
      Deployment deployment =
          apps.deployment(run.appId(), run.deploymentId())
              .orElseThrow(
                  () ->
                      Failures.notFound(
                          "deployment "
                              + run.deploymentId()
                              + " of app "
                              + run.appId()
                              + " does not exist"));
      List<DeploymentStep> steps =
          deployment.steps().stream().filter(s -> run.job().equals(s.component())).toList();
      if (steps.isEmpty()) {
        throw Failures.invalidInput(
            "migrations.job: deployment "
                + deployment.id()
                + " ran no job '"
                + run.job()
                + "'; is it a PRE_DEPLOY job in the spec?");
      }
      Optional<DeploymentStep> failed =
          steps.stream().filter(s -> "ERROR".equals(s.status())).findFirst();
      if (failed.isPresent()) {
        String logs =
            apps.logsUrl(run.appId(), deployment.id(), run.job(), LogType.DEPLOY)
                .orElse("no logs URL");
        throw Failures.precondition(
            "migration job " + run.job() + " failed: " + failed.get().reason() + "; logs: " + logs);
      }
      if (steps.stream().anyMatch(s -> !"SUCCESS".equals(s.status()))) {
        throw Failures.precondition(
            "migration job " + run.job() + " has not finished in deployment " + deployment.id());
      }
      return new MigrationsDone(
          "pre-deploy job " + run.job(), "succeeded in deployment " + deployment.id());
    }
    if (run.command() == null || run.command().isEmpty()) {
      throw Failures.invalidInput("migrations: name a job or a command");
    }
    Map<String, String> env = resolve(run.env());
    CommandResult result =
        containers.runContainer(
            Failures.require("host", run.host()),
            Failures.require("image", run.image()),
            run.command(),
            env);
    String output = masked(result.outputTail(), env);
    if (result.exitCode() != 0) {
      throw Failures.precondition(
          "migration command "
              + String.join(" ", run.command())
              + " exited "
              + result.exitCode()
              + ": "
              + tail(output));
    }
    return new MigrationsDone(String.join(" ", run.command()) + " in " + run.image(), tail(output));
  }

  private Deployment awaitSettled(String appId, String deploymentId, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      Deployment d =
          apps.deployment(appId, deploymentId)
              .orElseThrow(
                  () ->
                      Failures.notFound(
                          "deployment " + deploymentId + " of app " + appId + " does not exist"));
      if ("ACTIVE".equals(d.phase()) || d.failed() || "SUPERSEDED".equals(d.phase())) {
        return d;
      }
      Activity.getExecutionContext().heartbeat(d.phase());
      if (Instant.now().isAfter(deadline)) {
        throw Failures.thresholdNotMet(
            "deployment "
                + deploymentId
                + " is still "
                + d.phase()
                + " after "
                + timeout.toSeconds()
                + " s");
      }
      polling.pause();
    }
  }

  /** The failing phase, step and where its logs are. */
  private String failure(String appId, Deployment d) {
    // a failed sub-step fails its parents too: the component's own step says what went wrong
    List<DeploymentStep> failed =
        d.steps().stream().filter(s -> "ERROR".equals(s.status())).toList();
    Optional<DeploymentStep> step =
        failed.stream()
            .filter(s -> s.component() != null && s.reason() != null)
            .findFirst()
            .or(() -> failed.stream().filter(s -> s.component() != null).findFirst())
            .or(() -> failed.stream().findFirst());
    StringBuilder why = new StringBuilder(d.phase());
    step.ifPresent(
        s -> {
          why.append(" at step ").append(s.name());
          if (s.component() != null) {
            why.append(" (component ").append(s.component()).append(')');
          }
          if (s.reason() != null) {
            why.append(": ").append(s.reason());
          }
          if (s.component() != null) {
            LogType type = s.name().contains("build") ? LogType.BUILD : LogType.DEPLOY;
            apps.logsUrl(appId, d.id(), s.component(), type)
                .ifPresent(url -> why.append("; logs: ").append(url));
          }
        });
    return why.toString();
  }

  private Map<String, String> resolve(Map<String, SecretRef> refs) {
    Map<String, String> values = new LinkedHashMap<>();
    if (refs != null) {
      refs.forEach((k, ref) -> values.put(k, secrets.resolve(ref)));
    }
    return values;
  }

  private static String masked(String text, Map<String, String> env) {
    String out = text == null ? "" : text;
    for (String value : env.values()) {
      if (value != null && value.length() >= 4) {
        out = out.replace(value, "***");
      }
    }
    return out;
  }

  private static String tail(String text) {
    String t = text.strip();
    return t.length() <= 500 ? t : "..." + t.substring(t.length() - 500);
  }

  private static String latest(AppInfo app) {
    return app.pendingDeploymentId() != null ? app.pendingDeploymentId() : app.activeDeploymentId();
  }
}
