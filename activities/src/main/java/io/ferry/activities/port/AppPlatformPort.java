package io.ferry.activities.port;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * DigitalOcean App Platform ({@code /v2/apps}). Specs travel as Jackson trees shaped like the API's
 * {@code apps_app_spec} (snake_case keys). A spec given to this port may hold SECRET env values in
 * plain text: adapters send them to the API only and never log specs or put them in exceptions.
 */
public interface AppPlatformPort {

  /**
   * Validates a spec: {@code POST /v2/apps/propose} with {@code {"spec": ..., "app_id": ...}}.
   * Read-only and safe to repeat.
   *
   * @param appId the existing app the spec would update, or null for a new app
   * @return the problems App Platform reports, each with the spec path it names (such as {@code
   *     services[0].image.repository}) when the API gives one, else path {@code ""}; empty when
   *     valid. A 400/422 answer about the spec is a problem list, not an exception; 401/403 throw a
   *     non-retryable {@code AuthenticationFailed}; 5xx and I/O errors throw (retried).
   */
  List<SpecProblem> propose(ObjectNode spec, String appId);

  /**
   * The app with exactly this spec name ({@code GET /v2/apps}, paging through all), or empty. App
   * names are unique per account, so the name finds what an earlier attempt created.
   */
  Optional<AppInfo> findApp(String name);

  /** The app by id ({@code GET /v2/apps/{id}}); empty on 404. */
  Optional<AppInfo> app(String appId);

  /**
   * Creates the app ({@code POST /v2/apps}); App Platform starts its first deployment. Not
   * idempotent by itself: callers look the name up first.
   *
   * @return the new app, with {@code pendingDeploymentId} set
   */
  AppInfo createApp(ObjectNode spec);

  /**
   * Replaces the app's spec ({@code PUT /v2/apps/{id}}); a change starts a deployment whose id is
   * in {@code pendingDeploymentId} (null when the spec was unchanged). Throws {@code NotFound} when
   * the app is gone.
   */
  AppInfo updateApp(String appId, ObjectNode spec);

  /** Deletes the app ({@code DELETE /v2/apps/{id}}); returns false when it was already gone. */
  boolean deleteApp(String appId);

  /**
   * Starts a deployment of the current spec ({@code POST /v2/apps/{id}/deployments}), pulling the
   * images again.
   */
  Deployment createDeployment(String appId);

  /** {@code GET /v2/apps/{id}/deployments/{deployment_id}}; empty when unknown. */
  Optional<Deployment> deployment(String appId, String deploymentId);

  /**
   * Rolls the app back to an earlier deployment ({@code POST /v2/apps/{id}/rollback} with {@code
   * skip_pin: true}, so later deployments are not blocked): App Platform starts a new deployment
   * with that deployment's spec and images. Throws {@code NotFound} when the app or deployment is
   * unknown, {@code PreconditionFailed} when App Platform refuses the rollback.
   *
   * @return the deployment the rollback started
   */
  Deployment rollback(String appId, String deploymentId);

  /**
   * Where the logs of a deployment's component are ({@code GET
   * /v2/apps/{id}/deployments/{deployment_id}/components/{component}/logs?type=...}): the first of
   * {@code historic_urls}, else {@code live_url}; empty when there are none. URLs are pre-signed,
   * short-lived and carry no account secret.
   */
  Optional<String> logsUrl(String appId, String deploymentId, String component, LogType type);

  enum LogType {
    BUILD,
    DEPLOY,
    RUN
  }

  /**
   * @param path the spec path the problem is at, {@code ""} when the API names none
   */
  record SpecProblem(String path, String message) {}

  /**
   * @param liveUrl {@code https://...} where the app answers once a deployment is ACTIVE, or null
   * @param defaultIngress the host name custom domains point at (no scheme), or null
   * @param activeDeploymentId the deployment serving now, or null
   * @param pendingDeploymentId the deployment in progress, or null
   * @param spec the app's current spec as the API returns it (SECRET values come back encrypted)
   */
  record AppInfo(
      String id,
      String name,
      String liveUrl,
      String defaultIngress,
      String activeDeploymentId,
      String pendingDeploymentId,
      ObjectNode spec) {}

  /**
   * @param phase {@code PENDING_BUILD}, {@code BUILDING}, {@code PENDING_DEPLOY}, {@code
   *     DEPLOYING}, {@code ACTIVE}, {@code SUPERSEDED}, {@code ERROR} or {@code CANCELED}
   * @param steps the progress steps with their status, failed ones with their reason
   * @param clonedFrom the deployment this one copies, as a rollback does ({@code cloned_from});
   *     null otherwise. It tells a finished rollback from a deployment that still needs one.
   */
  record Deployment(
      String id,
      String phase,
      String cause,
      List<DeploymentStep> steps,
      Instant createdAt,
      String clonedFrom) {
    public boolean failed() {
      return "ERROR".equals(phase) || "CANCELED".equals(phase);
    }
  }

  /**
   * One progress step ({@code progress.steps[]}, flattened with its sub-steps).
   *
   * @param component the component it belongs to, or null
   * @param status {@code PENDING}, {@code RUNNING}, {@code ERROR} or {@code SUCCESS}
   * @param reason the error message of a failed step, or null
   */
  record DeploymentStep(String name, String component, String status, String reason) {}
}
