package io.ferry.activities.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.activities.SimFixture;
import io.ferry.activities.digitalocean.AppPlatformClient.App;
import io.ferry.activities.digitalocean.AppPlatformClient.Deployment;
import io.ferry.activities.digitalocean.AppPlatformClient.JobInvocation;
import io.ferry.activities.digitalocean.AppPlatformClient.LogType;
import io.ferry.activities.digitalocean.AppPlatformClient.LogUrls;
import io.ferry.activities.digitalocean.AppPlatformClient.Phase;
import io.ferry.activities.digitalocean.AppPlatformClient.SpecValidation;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** App Platform through the typed client, against the fake DO. */
class AppPlatformClientTest {

  private final DoFixture f = new DoFixture();
  private final AppPlatformClient apps = new AppPlatformClient(f.api);

  @AfterEach
  void close() {
    try {
      f.assertNoViolations();
    } finally {
      f.close();
    }
  }

  private JsonNode spec(String name, String tag) throws Exception {
    return f.api
        .json()
        .readTree(
            """
            {"name": "%s", "region": "fra",
             "services": [{"name": "api", "http_port": 8000, "instance_count": 1,
               "instance_size_slug": "apps-s-1vcpu-1gb",
               "image": {"registry_type": "DOCR", "repository": "orchestra/backend", "tag": "%s"},
               "envs": [{"key": "DATABASE_URL", "scope": "RUN_TIME", "type": "SECRET",
                         "value": "postgresql://app:placeholder@db:25060/app"}]}],
             "jobs": [{"name": "migrate", "kind": "PRE_DEPLOY",
               "image": {"registry_type": "DOCR", "repository": "orchestra/backend", "tag": "%s"},
               "run_command": "alembic upgrade head"}]}
            """
                .formatted(name, tag, tag));
  }

  private Deployment awaitInitial(App app) {
    return apps.awaitDeployment(
        app.id(), app.inProgressDeployment().id(), DoFixture.FAST, Heartbeat.NONE);
  }

  @Test
  void createApp_thenAwaitDeployment_goesThroughThePhasesToActive() throws Exception {
    App app = apps.createApp(spec("orchestra-staging", "v2.3"), null);
    List<String> beats = new ArrayList<>();

    Deployment active =
        apps.awaitDeployment(app.id(), app.inProgressDeployment().id(), DoFixture.FAST, beats::add);

    assertThat(app.name()).isEqualTo("orchestra-staging");
    assertThat(app.inProgressDeployment().phase()).isEqualTo(Phase.PENDING_BUILD);
    assertThat(active.phase()).isEqualTo(Phase.ACTIVE);
    assertThat(beats).anyMatch(b -> b.endsWith("BUILDING")).anyMatch(b -> b.endsWith("DEPLOYING"));
    App now = apps.app(app.id()).orElseThrow();
    assertThat(now.activeDeployment().id()).isEqualTo(active.id());
    assertThat(now.inProgressDeployment()).isNull();
    assertThat(apps.findApp("orchestra-staging")).map(App::id).contains(app.id());
  }

  @Test
  void propose_aSpecDoRefuses_isInvalidWithDosMessage() throws Exception {
    ObjectNode bad = (ObjectNode) spec("orchestra-staging", "v2.3");
    ((ObjectNode) bad.at("/services/0")).remove("image");

    SpecValidation result = apps.propose(bad, null);

    assertThat(result.valid()).isFalse();
    assertThat(result.error())
        .doesNotContain("DigitalOcean POST")
        .contains("services.api", "a source (image, git, github, gitlab) is required");
  }

  @Test
  void propose_aGoodSpec_isValid_andSaysWhetherTheNameIsTaken() throws Exception {
    SpecValidation fresh = apps.propose(spec("orchestra-prod", "v2.3"), null);
    apps.createApp(spec("orchestra-prod", "v2.3"), null);
    SpecValidation taken = apps.propose(spec("orchestra-prod", "v2.3"), null);

    assertThat(fresh.valid()).isTrue();
    assertThat(fresh.appNameAvailable()).isTrue();
    assertThat(fresh.monthlyCostUsd()).isEqualTo(12);
    assertThat(taken.appNameAvailable()).isFalse();
    assertThat(taken.appNameSuggestion()).isEqualTo("orchestra-prod-2");
  }

  @Test
  void aFailedBuild_failsTheWaitNonRetryably_namingTheStepComponentAndMessage() throws Exception {
    App app = apps.createApp(spec("orchestra-staging", "v2.3"), null);
    awaitInitial(app);
    f.fake.failNextBuild(app.id(), "api", "npm ERR! missing script: build");
    Deployment next = apps.createDeployment(app.id(), true);

    ApplicationFailure failure =
        SimFixture.failureOf(
            () -> apps.awaitDeployment(app.id(), next.id(), DoFixture.FAST, Heartbeat.NONE));

    assertThat(failure.getType()).isEqualTo(AppPlatformClient.DEPLOYMENT_FAILED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("ERROR", "step build of api", "npm ERR! missing script: build");
    Deployment failed = apps.deployment(app.id(), next.id());
    assertThat(failed.failedStep())
        .isEqualTo(
            new AppPlatformClient.FailedStep(
                "build", "api", "BuildJobFailed", "npm ERR! missing script: build"));
  }

  @Test
  void updateApp_withANewImageTag_deploysIt_andRollbackReturnsToThePreviousDeployment()
      throws Exception {
    App app = apps.createApp(spec("orchestra-prod", "v2.3"), null);
    Deployment first = awaitInitial(app);
    JsonNode newer = app.spec().deepCopy();
    ((ObjectNode) newer.at("/services/0/image")).put("tag", "v2.4");

    App updated = apps.updateApp(app.id(), newer);
    Deployment second =
        apps.awaitDeployment(
            app.id(), updated.inProgressDeployment().id(), DoFixture.FAST, Heartbeat.NONE);
    Deployment rollback = apps.rollback(app.id(), first.id(), false);
    Deployment rolledBack =
        apps.awaitDeployment(app.id(), rollback.id(), DoFixture.FAST, Heartbeat.NONE);

    assertThat(f.fake.requestBodies()).anyMatch(b -> b.contains("\"tag\":\"v2.4\""));
    assertThat(rolledBack.phase()).isEqualTo(Phase.ACTIVE);
    assertThat(rolledBack.cause()).contains(first.id());
    assertThat(apps.listDeployments(app.id()))
        .extracting(Deployment::id)
        .containsExactly(rollback.id(), second.id(), first.id());
    assertThat(apps.deployment(app.id(), second.id()).phase()).isEqualTo(Phase.SUPERSEDED);
    assertThat(f.fake.requestBodies())
        .anyMatch(b -> b.contains("\"deployment_id\":\"" + first.id() + "\""));
  }

  @Test
  void logs_asksForTheComponentsBuildLogs_andReturnsTheirUrls() throws Exception {
    App app = apps.createApp(spec("orchestra-staging", "v2.3"), null);
    String deployment = app.inProgressDeployment().id();

    LogUrls logs = apps.logs(app.id(), deployment, "api", LogType.BUILD);

    assertThat(f.fake.requests())
        .contains(
            "GET /v2/apps/"
                + app.id()
                + "/deployments/"
                + deployment
                + "/components/api/logs?type=BUILD");
    assertThat(logs.liveUrl().toString()).contains(deployment + "/api/build/live");
    assertThat(logs.historicUrls()).hasSize(1);
  }

  @Test
  void jobInvocations_listsThePreDeployMigrationsOfEachDeployment() throws Exception {
    App app = apps.createApp(spec("orchestra-staging", "v2.3"), null);
    awaitInitial(app);

    List<JobInvocation> runs = apps.jobInvocations(app.id(), "migrate");

    assertThat(runs)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.jobName()).isEqualTo("migrate");
              assertThat(r.phase()).isEqualTo("SUCCEEDED");
              assertThat(r.deploymentId()).isEqualTo(app.inProgressDeployment().id());
            });
    assertThat(f.fake.requests()).anyMatch(r -> r.contains("/job-invocations?job_names=migrate"));
  }

  @Test
  void deleteApp_thenTheAppIsGone() throws Exception {
    App app = apps.createApp(spec("orchestra-staging", "v2.3"), null);

    apps.deleteApp(app.id());

    assertThat(apps.app(app.id())).isEmpty();
  }
}
