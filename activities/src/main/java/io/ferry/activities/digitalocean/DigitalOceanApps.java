package io.ferry.activities.digitalocean;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.activities.Failures;
import io.ferry.activities.digitalocean.AppPlatformClient.App;
import io.ferry.activities.digitalocean.AppPlatformClient.LogUrls;
import io.ferry.activities.digitalocean.AppPlatformClient.SpecValidation;
import io.ferry.activities.port.AppPlatformPort;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link AppPlatformPort} on DigitalOcean App Platform through the typed {@link AppPlatformClient}.
 * Specs go to the API only: nothing here logs one or puts one in a failure.
 */
public final class DigitalOceanApps implements AppPlatformPort {

  /**
   * DO names the field it refuses: {@code error validating app spec field "services[0].x": ...}.
   */
  private static final Pattern QUOTED_FIELD =
      Pattern.compile("(?s).*?\\bfield \"([^\"]+)\"\\s*:?\\s*(.*)");

  /** Or starts with the path: {@code spec.services[0].image.tag: ...}. */
  private static final Pattern LEADING_PATH =
      Pattern.compile("(?s)([a-z_]+(?:\\[\\d+])?(?:\\.[a-z_]+(?:\\[\\d+])?)*): (.+)");

  private final AppPlatformClient client;

  public DigitalOceanApps(AppPlatformClient client) {
    this.client = client;
  }

  public DigitalOceanApps(DigitalOceanApi api) {
    this(new AppPlatformClient(api));
  }

  @Override
  public List<SpecProblem> propose(ObjectNode spec, String appId) {
    SpecValidation answer = client.propose(spec, appId);
    List<SpecProblem> problems = new ArrayList<>();
    if (!answer.valid()) {
      problems.add(problem(answer.error()));
    } else if (appId == null && !answer.appNameAvailable()) {
      String name = spec.path("name").asText();
      problems.add(
          new SpecProblem(
              "name",
              "an app named "
                  + name
                  + " exists already"
                  + (answer.appNameSuggestion() == null
                      ? ""
                      : "; App Platform suggests " + answer.appNameSuggestion())));
    }
    return problems;
  }

  /** DO's message split into the spec path it names (without a leading {@code spec.}) and why. */
  static SpecProblem problem(String message) {
    String text = message == null || message.isBlank() ? "the spec is invalid" : message.strip();
    Matcher quoted = QUOTED_FIELD.matcher(text);
    if (quoted.matches()) {
      String why = quoted.group(2).isBlank() ? text : quoted.group(2).strip();
      return new SpecProblem(specPath(quoted.group(1)), why);
    }
    Matcher leading = LEADING_PATH.matcher(text);
    if (leading.matches()) {
      return new SpecProblem(specPath(leading.group(1)), leading.group(2).strip());
    }
    return new SpecProblem("", text);
  }

  private static String specPath(String path) {
    return path.startsWith("spec.") ? path.substring("spec.".length()) : path;
  }

  @Override
  public Optional<AppInfo> findApp(String name) {
    return client.findApp(name).map(this::info);
  }

  @Override
  public Optional<AppInfo> app(String appId) {
    return client.app(appId).map(this::info);
  }

  @Override
  public AppInfo createApp(ObjectNode spec) {
    App created = client.createApp(spec, null);
    return withPending(created, info(created));
  }

  @Override
  public AppInfo updateApp(String appId, ObjectNode spec) {
    App updated = client.updateApp(appId, spec);
    return withPending(updated, info(updated));
  }

  @Override
  public boolean deleteApp(String appId) {
    return whenFound(
        () -> {
          client.deleteApp(appId);
          return true;
        },
        false);
  }

  @Override
  public Deployment createDeployment(String appId) {
    return deployment(client.createDeployment(appId, false));
  }

  @Override
  public Optional<Deployment> deployment(String appId, String deploymentId) {
    return whenFound(
        () -> Optional.of(deployment(client.deployment(appId, deploymentId))), Optional.empty());
  }

  @Override
  public Deployment rollback(String appId, String deploymentId) {
    try {
      return deployment(client.rollback(appId, deploymentId, true));
    } catch (ApplicationFailure e) {
      if (FailureTypes.INVALID_INPUT.equals(e.getType())
          || FailureTypes.PRECONDITION.equals(e.getType())) {
        throw Failures.precondition(
            "App Platform refuses to roll app "
                + appId
                + " back to deployment "
                + deploymentId
                + ": "
                + DoFailures.doMessage(e));
      }
      throw e;
    }
  }

  @Override
  public Optional<String> logsUrl(
      String appId, String deploymentId, String component, LogType type) {
    if (component == null) {
      return Optional.empty();
    }
    return whenFound(
        () -> {
          LogUrls urls =
              client.logs(
                  appId, deploymentId, component, AppPlatformClient.LogType.valueOf(type.name()));
          Optional<URI> url =
              urls.historicUrls().isEmpty()
                  ? Optional.ofNullable(urls.liveUrl())
                  : Optional.of(urls.historicUrls().get(0));
          return url.map(URI::toString);
        },
        Optional.empty());
  }

  /**
   * The deployment a create or update started. DO shows it as the app's in-progress (or pending)
   * deployment; when the answer has neither, the newest deployment is it if it has not settled and
   * is not the live one.
   */
  private AppInfo withPending(App app, AppInfo info) {
    if (info.pendingDeploymentId() != null) {
      return info;
    }
    String active = info.activeDeploymentId();
    return client.listDeployments(app.id()).stream()
        .findFirst()
        .filter(d -> !d.phase().settled() && !d.id().equals(active))
        .map(
            d ->
                new AppInfo(
                    info.id(),
                    info.name(),
                    info.liveUrl(),
                    info.defaultIngress(),
                    info.activeDeploymentId(),
                    d.id(),
                    info.spec()))
        .orElse(info);
  }

  private AppInfo info(App app) {
    return new AppInfo(
        app.id(),
        app.name(),
        app.liveUrl(),
        host(app.defaultIngress()),
        app.activeDeployment() == null ? null : app.activeDeployment().id(),
        app.inProgressDeployment() == null ? null : app.inProgressDeployment().id(),
        app.spec() instanceof ObjectNode o ? o.deepCopy() : null);
  }

  /** DO's {@code default_ingress} is a URL; DNS points at its host. */
  static String host(String ingress) {
    if (ingress == null || ingress.isBlank()) {
      return null;
    }
    if (!ingress.contains("://")) {
      return ingress;
    }
    String host = URI.create(ingress).getHost();
    return host == null ? ingress : host;
  }

  static Deployment deployment(AppPlatformClient.Deployment d) {
    return new Deployment(
        d.id(),
        d.phase().name(),
        d.cause(),
        d.steps().stream()
            .map(s -> new DeploymentStep(s.name(), s.component(), s.status(), s.reason()))
            .toList(),
        instant(d.createdAt()),
        d.clonedFrom());
  }

  private static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** {@code call}, or {@code otherwise} when DO answers 404. */
  private static <T> T whenFound(Supplier<T> call, T otherwise) {
    try {
      return call.get();
    } catch (ApplicationFailure e) {
      if (DoFailures.isNotFound(e)) {
        return otherwise;
      }
      throw e;
    }
  }

  @Override
  public String toString() {
    return "DigitalOceanApps";
  }
}
