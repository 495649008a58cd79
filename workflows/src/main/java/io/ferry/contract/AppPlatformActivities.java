package io.ferry.contract;

import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import io.ferry.runbook.Summarized;
import io.temporal.activity.ActivityInterface;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Apps and deployments on DigitalOcean App Platform. The app spec is read from its file on the
 * worker by every call that needs it, and secrets are resolved there, so neither the spec's secret
 * values nor the plan's secrets enter workflow history.
 */
@ActivityInterface(namePrefix = "Apps.")
public interface AppPlatformActivities {

  /**
   * For each app (staging and production), builds the spec as {@link #deploy} would (name, images,
   * SECRET env, every secret reference resolved) and has App Platform's propose endpoint validate
   * it, as an update when the app exists; a rejected spec fails with {@code InvalidInput} listing
   * each error with its spec path. Nothing changes.
   */
  SpecCheck validateSpecs(SpecSources sources);

  record SpecSources(List<SpecSource> apps) {}

  /** The app by name and the deployment live now; {@code appId} is null when there is none. */
  AppState findApp(AppQuery query);

  /**
   * Creates the app, or updates the one that exists, from the spec; an update that does not start a
   * deployment gets one. A retry finds the deployment the first attempt started.
   */
  Deployed deploy(AppDeployment deployment);

  /**
   * Undoes {@link #deploy}: deletes the app when {@code before} had none, otherwise rolls back to
   * {@code before}'s live deployment and waits until it is ACTIVE. Nothing to do when that is live
   * already or the app is gone.
   */
  void undoDeploy(AppUndo undo);

  /**
   * Polls the deployment until it is ACTIVE; ERROR or CANCELED fails (non-retryable) naming the
   * failing phase and step and the URL of its logs.
   */
  LiveApp waitActive(DeploymentWatch watch);

  /**
   * Runs the migrations: checks the deployment's PRE_DEPLOY job succeeded, or runs the command once
   * in the image on the host. Fails naming the job's or command's failure.
   */
  MigrationsDone runMigrations(MigrationRun run);

  /**
   * @param repository in the registry; the image is {@code
   *     registry.digitalocean.com/<registry>/<repository>:<tag>}
   */
  record ImageRef(String component, String repository, String tag) {}

  /**
   * What the spec sent to App Platform is made of.
   *
   * @param path the spec file on the worker (YAML or JSON)
   * @param appName replaces the spec's name
   * @param registry the DOCR registry name the images come from
   * @param images each component's image source
   * @param env app-level variables set as encrypted SECRET values
   */
  record SpecSource(
      String path,
      String appName,
      String registry,
      List<ImageRef> images,
      Map<String, SecretRef> env) {}

  /**
   * @param components every component of the spec
   * @param sha256 of the spec file as read, so a later change to it shows
   */
  record SpecCheck(List<String> appNames, List<String> components, String sha256)
      implements Summarized {
    @Override
    public String summary() {
      return "spec valid for " + String.join(" and ", appNames) + ": components " + components;
    }
  }

  record AppQuery(String name) {}

  /**
   * @param appId null when no app of that name exists
   * @param activeDeploymentId the deployment live now, the rollback target; null when none
   */
  record AppState(String name, String appId, String activeDeploymentId, String liveUrl)
      implements Summarized {
    public boolean exists() {
      return appId != null;
    }

    @Override
    public String summary() {
      return appId == null
          ? "no app " + name + " yet: this run creates it"
          : "app " + name + " (" + appId + ") live on deployment " + activeDeploymentId;
    }
  }

  /**
   * @param before the app as it was before this run, from {@link #findApp}
   */
  record AppDeployment(SpecSource source, AppState before) {}

  record Deployed(String appId, String deploymentId, boolean created) implements Summarized {
    @Override
    public String summary() {
      return (created ? "created app " : "updated app ") + appId + ", deployment " + deploymentId;
    }
  }

  record AppUndo(String name, AppState before) {}

  record DeploymentWatch(String appId, String deploymentId, Duration timeout) {}

  /**
   * @param ingressHost the host DNS points at (the app's default ingress)
   */
  record LiveApp(String appId, String deploymentId, String liveUrl, String ingressHost)
      implements Summarized {
    @Override
    public String summary() {
      return "deployment " + deploymentId + " ACTIVE at " + liveUrl;
    }
  }

  /**
   * Either {@code job} or {@code command}; neither is refused.
   *
   * @param job a PRE_DEPLOY job of the spec, checked in the deployment
   * @param command run once in {@code image} on {@code host} with {@code env}
   */
  record MigrationRun(
      String job,
      List<String> command,
      SshTarget host,
      String image,
      Map<String, SecretRef> env,
      String appId,
      String deploymentId) {}

  record MigrationsDone(String how, String detail) implements Summarized {
    @Override
    public String summary() {
      return how + ": " + detail;
    }
  }
}
