package io.ferry.activities.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.activities.Polling;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * App Platform: apps, spec validation ({@code /v2/apps/propose}), deployments and their phases,
 * rollback, log URLs and job invocations. App specs travel as Jackson trees so Ferry can set image
 * tags and {@code SECRET} env values without modelling the whole spec; Ferry reads only what it
 * needs into records.
 */
public final class AppPlatformClient {

  /** Non-retryable: the deployment ended {@code ERROR} or {@code CANCELED}. */
  public static final String DEPLOYMENT_FAILED = "AppDeploymentFailed";

  private final DigitalOceanApi api;

  public AppPlatformClient(DigitalOceanApi api) {
    this.api = api;
  }

  public enum Phase {
    UNKNOWN,
    PENDING_BUILD,
    BUILDING,
    PENDING_DEPLOY,
    DEPLOYING,
    ACTIVE,
    SUPERSEDED,
    ERROR,
    CANCELED;

    /** Whether the deployment will not move on by itself. */
    public boolean settled() {
      return this == ACTIVE || this == SUPERSEDED || this == ERROR || this == CANCELED;
    }

    static Phase of(String text) {
      try {
        return text == null || text.isBlank() ? UNKNOWN : valueOf(text);
      } catch (IllegalArgumentException e) {
        return UNKNOWN;
      }
    }
  }

  /** The first step that failed: its name, component, DO's reason code and message. */
  public record FailedStep(String step, String component, String code, String message) {}

  /**
   * One progress step, flattened: {@code component} is the step's own {@code component_name} or,
   * for a sub-step without one, its parent's.
   *
   * @param reason DO's reason message (or code) of a failed step, else null
   */
  public record Step(String name, String component, String status, String reason) {}

  /**
   * @param failedStep the first failed step, or null
   * @param steps every progress step, depth first, each before its sub-steps
   * @param clonedFrom the deployment this one copies (a rollback's target), or null
   */
  public record Deployment(
      String id,
      Phase phase,
      String cause,
      String createdAt,
      FailedStep failedStep,
      List<Step> steps,
      String clonedFrom) {}

  /**
   * @param activeDeployment null before the first deployment is live
   * @param inProgressDeployment null when nothing is deploying
   * @param spec the app's current spec as DO returns it (SECRET values come back encrypted)
   */
  public record App(
      String id,
      String name,
      String defaultIngress,
      String liveUrl,
      Deployment activeDeployment,
      Deployment inProgressDeployment,
      JsonNode spec) {}

  /**
   * The answer of {@code /v2/apps/propose}.
   *
   * @param valid false when DO refused the spec; {@code error} then holds its message
   */
  public record SpecValidation(
      boolean valid,
      String error,
      boolean appNameAvailable,
      String appNameSuggestion,
      Integer monthlyCostUsd,
      JsonNode spec) {}

  public enum LogType {
    BUILD,
    DEPLOY,
    RUN
  }

  /** Where a component's logs can be downloaded (the URLs are short-lived and pre-signed). */
  public record LogUrls(URI liveUrl, List<URI> historicUrls) {}

  public record JobInvocation(
      String id,
      String jobName,
      String deploymentId,
      String phase,
      String createdAt,
      String completedAt) {}

  public List<App> listApps() {
    return api.list("/v2/apps", Map.of(), "apps").stream().map(AppPlatformClient::app).toList();
  }

  /** The app whose spec name is {@code name} (App Platform names are unique per account). */
  public Optional<App> findApp(String name) {
    return listApps().stream().filter(a -> name.equals(a.name())).findFirst();
  }

  public Optional<App> app(String appId) {
    return api.find("/v2/apps/" + DigitalOceanApi.segment(appId)).map(r -> app(r.path("app")));
  }

  /**
   * @param projectId the project to put the app in, or null for the default project
   */
  public App createApp(JsonNode spec, String projectId) {
    ObjectNode body = api.object();
    body.set("spec", spec);
    if (projectId != null) {
      body.put("project_id", projectId);
    }
    return app(api.post("/v2/apps", body).path("app"));
  }

  /** Replaces the spec; DO starts a deployment when the spec changed. */
  public App updateApp(String appId, JsonNode spec) {
    ObjectNode body = api.object();
    body.set("spec", spec);
    return app(api.put("/v2/apps/" + DigitalOceanApi.segment(appId), body).path("app"));
  }

  /** Throws {@code NotFound} when the app is gone. */
  public void deleteApp(String appId) {
    api.delete("/v2/apps/" + DigitalOceanApi.segment(appId));
  }

  /**
   * Validates a spec (for a new app, or as an update of {@code appId} when not null). A spec DO
   * refuses (400/422) is an invalid result carrying DO's message, not a failure.
   */
  public SpecValidation propose(JsonNode spec, String appId) {
    ObjectNode body = api.object();
    body.set("spec", spec);
    if (appId != null) {
      body.put("app_id", appId);
    }
    JsonNode answer;
    try {
      answer = api.post("/v2/apps/propose", body);
    } catch (ApplicationFailure e) {
      if (FailureTypes.INVALID_INPUT.equals(e.getType())) {
        return new SpecValidation(false, DoFailures.doMessage(e), false, null, null, null);
      }
      throw e;
    }
    return new SpecValidation(
        true,
        null,
        answer.path("app_name_available").asBoolean(false),
        text(answer, "app_name_suggestion"),
        answer.hasNonNull("app_cost") ? answer.get("app_cost").asInt() : null,
        answer.get("spec"));
  }

  /** Newest first, as DO lists them. */
  public List<Deployment> listDeployments(String appId) {
    return api
        .list(
            "/v2/apps/" + DigitalOceanApi.segment(appId) + "/deployments", Map.of(), "deployments")
        .stream()
        .map(AppPlatformClient::deployment)
        .toList();
  }

  public Deployment deployment(String appId, String deploymentId) {
    return deployment(api.get(deploymentPath(appId, deploymentId)).path("deployment"));
  }

  /** Starts a deployment of the current spec (pulls the images' tags again). */
  public Deployment createDeployment(String appId, boolean forceBuild) {
    ObjectNode body = api.object().put("force_build", forceBuild);
    return deployment(
        api.post("/v2/apps/" + DigitalOceanApi.segment(appId) + "/deployments", body)
            .path("deployment"));
  }

  /**
   * Rolls back to an earlier deployment; DO makes a new deployment for it.
   *
   * @param skipPin false pins the app to the rollback until it is committed or reverted
   */
  public Deployment rollback(String appId, String deploymentId, boolean skipPin) {
    ObjectNode body = api.object().put("deployment_id", deploymentId).put("skip_pin", skipPin);
    return deployment(
        api.post("/v2/apps/" + DigitalOceanApi.segment(appId) + "/rollback", body)
            .path("deployment"));
  }

  /** The URLs of one component's build, deploy or run logs for a deployment. */
  public LogUrls logs(String appId, String deploymentId, String component, LogType type) {
    JsonNode answer =
        api.get(
            deploymentPath(appId, deploymentId)
                + "/components/"
                + DigitalOceanApi.segment(component)
                + "/logs",
            Map.of("type", type.name()));
    List<URI> historic = new ArrayList<>();
    answer.path("historic_urls").forEach(u -> historic.add(URI.create(u.asText())));
    String live = text(answer, "live_url");
    return new LogUrls(live == null ? null : URI.create(live), List.copyOf(historic));
  }

  /**
   * @param jobName only this job's invocations, or null for all
   */
  public List<JobInvocation> jobInvocations(String appId, String jobName) {
    Map<String, String> query = new LinkedHashMap<>();
    if (jobName != null) {
      query.put("job_names", jobName);
    }
    return api
        .list(
            "/v2/apps/" + DigitalOceanApi.segment(appId) + "/job-invocations",
            query,
            "job_invocations")
        .stream()
        .map(
            j ->
                new JobInvocation(
                    text(j, "id"),
                    text(j, "job_name"),
                    text(j, "deployment_id"),
                    text(j, "phase"),
                    text(j, "created_at"),
                    text(j, "completed_at")))
        .toList();
  }

  /**
   * Polls the deployment until it settles. {@code ACTIVE} (or {@code SUPERSEDED}) returns it;
   * {@code ERROR} or {@code CANCELED} fails non-retryably with {@value #DEPLOYMENT_FAILED}, naming
   * the failed step and DO's message; a wait past the polling timeout fails retryably.
   */
  public Deployment awaitDeployment(
      String appId, String deploymentId, Polling polling, Heartbeat heartbeat) {
    Instant deadline = Instant.now().plus(polling.timeout());
    while (true) {
      Deployment d = deployment(appId, deploymentId);
      switch (d.phase()) {
        case ACTIVE, SUPERSEDED -> {
          return d;
        }
        case ERROR, CANCELED -> throw deploymentFailed(appId, d);
        default -> heartbeat.beat("deployment " + deploymentId + " " + d.phase());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "deployment "
                + deploymentId
                + " of app "
                + appId
                + " is still "
                + d.phase()
                + " after "
                + polling.timeout().toSeconds()
                + " s");
      }
      polling.pause();
    }
  }

  private static ApplicationFailure deploymentFailed(String appId, Deployment d) {
    FailedStep f = d.failedStep();
    String where =
        f == null
            ? ""
            : ": step "
                + f.step()
                + (f.component() == null ? "" : " of " + f.component())
                + (f.message() == null ? "" : " failed: " + f.message());
    return ApplicationFailure.newNonRetryableFailure(
        "deployment " + d.id() + " of app " + appId + " ended " + d.phase() + where,
        DEPLOYMENT_FAILED);
  }

  private static String deploymentPath(String appId, String deploymentId) {
    return "/v2/apps/"
        + DigitalOceanApi.segment(appId)
        + "/deployments/"
        + DigitalOceanApi.segment(deploymentId);
  }

  static App app(JsonNode a) {
    return new App(
        text(a, "id"),
        a.path("spec").path("name").asText(null),
        text(a, "default_ingress"),
        text(a, "live_url"),
        a.hasNonNull("active_deployment") ? deployment(a.get("active_deployment")) : null,
        a.hasNonNull("in_progress_deployment")
            ? deployment(a.get("in_progress_deployment"))
            : a.hasNonNull("pending_deployment") ? deployment(a.get("pending_deployment")) : null,
        a.get("spec"));
  }

  static Deployment deployment(JsonNode d) {
    return new Deployment(
        text(d, "id"),
        Phase.of(text(d, "phase")),
        text(d, "cause"),
        text(d, "created_at"),
        failedStep(d.path("progress").path("steps"), null).orElse(null),
        steps(d.path("progress").path("steps"), null, new ArrayList<>()),
        text(d, "cloned_from"));
  }

  private static List<Step> steps(JsonNode steps, String component, List<Step> out) {
    for (JsonNode s : steps) {
      String own = text(s, "component_name");
      String here = own != null ? own : component;
      String status = text(s, "status");
      String reason =
          "ERROR".equals(status)
              ? s.path("reason").path("message").asText(s.path("reason").path("code").asText(null))
              : null;
      out.add(new Step(text(s, "name"), here, status, reason));
      steps(s.path("steps"), here, out);
    }
    return List.copyOf(out);
  }

  /** Depth first: the innermost failed step says most about what went wrong. */
  private static Optional<FailedStep> failedStep(JsonNode steps, FailedStep outer) {
    for (JsonNode s : steps) {
      if ("ERROR".equals(text(s, "status"))) {
        FailedStep here =
            new FailedStep(
                text(s, "name"),
                text(s, "component_name") != null
                    ? text(s, "component_name")
                    : outer == null ? null : outer.component(),
                s.path("reason").path("code").asText(null),
                s.path("reason").hasNonNull("message")
                    ? s.path("reason").path("message").asText()
                    : text(s, "message_base"));
        return failedStep(s.path("steps"), here).or(() -> Optional.of(here));
      }
    }
    return Optional.empty();
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
