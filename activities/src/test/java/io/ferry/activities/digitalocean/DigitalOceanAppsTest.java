package io.ferry.activities.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.activities.SimFixture;
import io.ferry.activities.port.AppPlatformPort.AppInfo;
import io.ferry.activities.port.AppPlatformPort.Deployment;
import io.ferry.activities.port.AppPlatformPort.DeploymentStep;
import io.ferry.activities.port.AppPlatformPort.LogType;
import io.ferry.activities.port.AppPlatformPort.SpecProblem;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link DigitalOceanApps}, the real App Platform adapter, against the fake DO. */
class DigitalOceanAppsTest {

  private static final String SECRET = "postgresql://app:s3cr3t-value@db:25060/app";

  private final DoFixture f = new DoFixture();
  private final DigitalOceanApps apps = new DigitalOceanApps(new AppPlatformClient(f.api));

  @AfterEach
  void close() {
    try {
      f.assertNoViolations();
    } finally {
      f.close();
    }
  }

  private ObjectNode spec(String name, String tag) throws Exception {
    return (ObjectNode)
        f.api
            .json()
            .readTree(
                """
                {"name": "%s", "region": "fra",
                 "services": [{"name": "api", "http_port": 8000, "instance_count": 1,
                   "instance_size_slug": "apps-s-1vcpu-1gb",
                   "image": {"registry_type": "DOCR", "repository": "orchestra/backend",
                             "tag": "%s"}}],
                 "jobs": [{"name": "migrate", "kind": "PRE_DEPLOY",
                   "image": {"registry_type": "DOCR", "repository": "orchestra/backend",
                             "tag": "%s"},
                   "run_command": "alembic upgrade head"}],
                 "envs": [{"key": "DATABASE_URL", "scope": "RUN_AND_BUILD_TIME",
                           "type": "SECRET", "value": "%s"}]}
                """
                    .formatted(name, tag, tag, SECRET));
  }

  /** Reads the deployment until it settles, as the activities do. */
  private Deployment settle(String appId, String deploymentId) {
    for (int i = 0; i < 20; i++) {
      Deployment d = apps.deployment(appId, deploymentId).orElseThrow();
      if (List.of("ACTIVE", "SUPERSEDED", "ERROR", "CANCELED").contains(d.phase())) {
        return d;
      }
    }
    throw new AssertionError("deployment " + deploymentId + " did not settle");
  }

  @Test
  void propose_aValidSpec_hasNoProblems_andARefusedOne_namesTheSpecPathDoGives() throws Exception {
    ObjectNode bad = spec("orchestra-staging", "v2.3");
    ((ObjectNode) bad.at("/services/0/image")).remove("repository");

    assertThat(apps.propose(spec("orchestra-staging", "v2.3"), null)).isEmpty();
    assertThat(apps.propose(bad, null))
        .containsExactly(new SpecProblem("services[0].image.repository", "repository is required"));
    assertThat(f.fake.requests()).contains("POST /v2/apps/propose");
  }

  @Test
  void propose_aNewAppWhoseNameIsTaken_isAProblemAtName_butAnUpdateOfItIsNot() throws Exception {
    AppInfo app = apps.createApp(spec("orchestra-prod", "v2.3"));

    assertThat(apps.propose(spec("orchestra-prod", "v2.4"), null))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("name");
              assertThat(p.message()).contains("exists already", "orchestra-prod-2");
            });
    assertThat(apps.propose(spec("orchestra-prod", "v2.4"), app.id())).isEmpty();
    assertThat(f.fake.requestBodies()).anyMatch(b -> b.contains("\"app_id\":\"" + app.id()));
  }

  @Test
  void problem_takesThePathFromDosMessage_orKeepsTheWholeMessageAtPathEmpty() {
    assertThat(
            DigitalOceanApps.problem(
                "error validating app spec field \"services[0].image.tag\": tag is required"))
        .isEqualTo(new SpecProblem("services[0].image.tag", "tag is required"));
    assertThat(DigitalOceanApps.problem("spec.workers[1].name: name must be unique"))
        .isEqualTo(new SpecProblem("workers[1].name", "name must be unique"));
    assertThat(DigitalOceanApps.problem("the app spec could not be parsed"))
        .isEqualTo(new SpecProblem("", "the app spec could not be parsed"));
  }

  @Test
  void findApp_matchesTheExactName_acrossPages() throws Exception {
    f.fake.maxPerPage(2);
    for (String name : List.of("web-a", "web-b", "web-c", "web-d", "web")) {
      apps.createApp(spec(name, "v1"));
    }

    assertThat(apps.findApp("web")).map(AppInfo::name).contains("web");
    assertThat(apps.findApp("we")).isEmpty();
    assertThat(f.fake.requests())
        .anyMatch(r -> r.startsWith("GET /v2/apps?") && r.contains("page=3"));
  }

  @Test
  void createApp_returnsThePendingDeployment_whichGoesActive_andTheAppShowsItLive()
      throws Exception {
    AppInfo created = apps.createApp(spec("orchestra-staging", "v2.3"));

    Deployment active = settle(created.id(), created.pendingDeploymentId());
    AppInfo now = apps.app(created.id()).orElseThrow();

    assertThat(created.pendingDeploymentId()).isNotNull();
    assertThat(created.activeDeploymentId()).isNull();
    assertThat(active.phase()).isEqualTo("ACTIVE");
    assertThat(active.createdAt()).isNotNull();
    assertThat(active.steps())
        .extracting(DeploymentStep::status)
        .isNotEmpty()
        .containsOnly("SUCCESS");
    assertThat(now.activeDeploymentId()).isEqualTo(active.id());
    assertThat(now.pendingDeploymentId()).isNull();
    assertThat(now.liveUrl()).startsWith("https://orchestra-staging-");
    assertThat(now.defaultIngress())
        .isEqualTo("orchestra-staging-x7k2q.ondigitalocean.app")
        .doesNotContain("://");
    // DO keeps the SECRET encrypted; the plain value went to the API only
    assertThat(now.spec().toString()).doesNotContain(SECRET).contains("EV[");
    assertThat(f.fake.requestBodies()).anyMatch(b -> b.contains(SECRET));
  }

  @Test
  void updateApp_returnsTheDeploymentItStarted_andAnUnknownAppIsNotFound() throws Exception {
    AppInfo created = apps.createApp(spec("orchestra-prod", "v2.3"));
    settle(created.id(), created.pendingDeploymentId());

    AppInfo updated = apps.updateApp(created.id(), spec("orchestra-prod", "v2.4"));
    ApplicationFailure gone =
        SimFixture.failureOf(
            () ->
                apps.updateApp(
                    "00000000-0000-4000-8000-000000000000", spec("orchestra-prod", "v2.4")));

    assertThat(updated.pendingDeploymentId())
        .isNotNull()
        .isNotEqualTo(created.pendingDeploymentId());
    assertThat(settle(created.id(), updated.pendingDeploymentId()).phase()).isEqualTo("ACTIVE");
    assertThat(gone.getType()).isEqualTo(FailureTypes.NOT_FOUND);
  }

  @Test
  void deleteApp_isTrueOnce_andFalseWhenTheAppIsGone() throws Exception {
    AppInfo created = apps.createApp(spec("orchestra-staging", "v2.3"));

    assertThat(apps.deleteApp(created.id())).isTrue();
    assertThat(apps.deleteApp(created.id())).isFalse();
    assertThat(apps.app(created.id())).isEmpty();
    assertThat(apps.findApp("orchestra-staging")).isEmpty();
  }

  @Test
  void aFailedDeployment_showsItsPhase_theFailedComponentStepWithDosReason_andItsLogs()
      throws Exception {
    AppInfo created = apps.createApp(spec("orchestra-staging", "v2.3"));
    settle(created.id(), created.pendingDeploymentId());
    f.fake.failNextBuild(created.id(), "api", "manifest for orchestra/backend:v9 not found");

    Deployment started = apps.createDeployment(created.id());
    Deployment failed = settle(created.id(), started.id());
    List<DeploymentStep> errors =
        failed.steps().stream().filter(s -> "ERROR".equals(s.status())).toList();
    String logs = apps.logsUrl(created.id(), failed.id(), "api", LogType.BUILD).orElseThrow();

    assertThat(failed.phase()).isEqualTo("ERROR");
    assertThat(failed.failed()).isTrue();
    assertThat(errors)
        .contains(
            new DeploymentStep(
                "build", "api", "ERROR", "manifest for orchestra/backend:v9 not found"));
    assertThat(failed.steps())
        .contains(new DeploymentStep("build", "migrate", "SUCCESS", null))
        .contains(new DeploymentStep("pre-deploy", "migrate", "PENDING", null));
    assertThat(logs).contains(failed.id() + "/api/build/archive-1.log");
    assertThat(apps.logsUrl(created.id(), failed.id(), null, LogType.BUILD)).isEmpty();
    assertThat(apps.deployment(created.id(), "00000000-0000-4000-8000-000000000000")).isEmpty();
  }

  @Test
  void rollback_skipsThePin_soLaterDeploymentsAreNotBlocked_andStartsFromTheEarlierSpec()
      throws Exception {
    AppInfo created = apps.createApp(spec("orchestra-prod", "v2.3"));
    Deployment first = settle(created.id(), created.pendingDeploymentId());
    AppInfo updated = apps.updateApp(created.id(), spec("orchestra-prod", "v2.4"));
    settle(created.id(), updated.pendingDeploymentId());

    Deployment rollback = apps.rollback(created.id(), first.id());
    Deployment live = settle(created.id(), rollback.id());
    AppInfo after = apps.updateApp(created.id(), spec("orchestra-prod", "v2.5"));

    assertThat(live.phase()).isEqualTo("ACTIVE");
    assertThat(live.cause()).contains(first.id());
    assertThat(f.fake.requestBodies())
        .anyMatch(
            b ->
                b.contains("\"deployment_id\":\"" + first.id() + "\"")
                    && b.contains("\"skip_pin\":true"));
    assertThat(after.pendingDeploymentId()).isNotNull();
  }

  @Test
  void rollback_toADeploymentThatNeverWentLive_isRefused_andToAnUnknownOne_isNotFound()
      throws Exception {
    AppInfo created = apps.createApp(spec("orchestra-prod", "v2.3"));
    settle(created.id(), created.pendingDeploymentId());
    f.fake.failNextBuild(created.id(), "api", "build failed");
    Deployment broken = settle(created.id(), apps.createDeployment(created.id()).id());

    ApplicationFailure refused =
        SimFixture.failureOf(() -> apps.rollback(created.id(), broken.id()));
    ApplicationFailure unknown =
        SimFixture.failureOf(
            () -> apps.rollback(created.id(), "00000000-0000-4000-8000-000000000000"));

    assertThat(refused.getType()).isEqualTo(FailureTypes.PRECONDITION);
    assertThat(refused.isNonRetryable()).isTrue();
    assertThat(refused.getOriginalMessage()).contains("incompatible_phase", broken.id());
    assertThat(unknown.getType()).isEqualTo(FailureTypes.NOT_FOUND);
  }

  @Test
  void badCredentials_failNonRetryablyAsAuthentication() throws Exception {
    DigitalOceanApi wrongToken =
        new DigitalOceanApi(
            f.fake.baseUrl(),
            () -> "dop_v1_wrong",
            java.net.http.HttpClient.newHttpClient(),
            java.time.Duration.ofSeconds(1));
    DigitalOceanApps unauthorised = new DigitalOceanApps(new AppPlatformClient(wrongToken));
    List<ApplicationFailure> failures = new ArrayList<>();

    failures.add(
        SimFixture.failureOf(() -> unauthorised.propose(spec("orchestra-prod", "v1"), null)));
    failures.add(SimFixture.failureOf(() -> unauthorised.findApp("orchestra-prod")));

    assertThat(failures)
        .allSatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo(FailureTypes.AUTH);
              assertThat(e.isNonRetryable()).isTrue();
            });
  }
}
